// The triage score: what a leaked credential puts within an attacker's reach, in points a responder can read back.
// Admin of a boundary outweighs everything below it; resources and identities add up but are capped below one
// admin boundary, so a key that reads ten thousand buckets never outranks one that owns an account. Use after the
// leak is the strongest sign of an attacker at work; a credential known to be inactive keeps a tenth of its reach.
import type { AccessLevel } from '../model/kinds.js';

export interface ScoreInput {
  adminBoundaries: number;
  highValue: number;
  byAccessLevel: Partial<Record<AccessLevel, number>>;
  unstatedAccess: number;
  identities: number;
  credentials: number;
  status: 'active' | 'inactive' | 'unknown';
  usedAfterExposure: boolean;
}

export interface ScorePart {
  label: string;
  points: number;
}

export const POINTS = {
  admin: 1000,
  highValue: 300,
  access: { 'Permissions management': 20, Write: 10, Tagging: 3, Read: 5, List: 1 } satisfies Record<AccessLevel, number>,
  unstated: 1,
  resourceCap: 900,
  identity: 2,
  identityCap: 400,
  credential: 3,
  credentialCap: 300,
  usedAfterExposure: 1500,
  inactiveShare: 0.1,
} as const;

export function triageScore(s: ScoreInput): { score: number; parts: ScorePart[] } {
  const parts: ScorePart[] = [];
  const add = (label: string, points: number) => {
    if (points !== 0) parts.push({ label, points: Math.round(points) });
  };
  add(`admin of ${s.adminBoundaries} boundar${s.adminBoundaries === 1 ? 'y' : 'ies'} × ${POINTS.admin}`, s.adminBoundaries * POINTS.admin);
  add(`${s.highValue} high-value node${s.highValue === 1 ? '' : 's'} × ${POINTS.highValue}`, s.highValue * POINTS.highValue);
  let access = s.unstatedAccess * POINTS.unstated;
  const terms: string[] = [];
  for (const [level, per] of Object.entries(POINTS.access) as [AccessLevel, number][]) {
    const n = s.byAccessLevel[level] ?? 0;
    if (!n) continue;
    access += n * per;
    terms.push(`${n} ${level} × ${per}`);
  }
  if (s.unstatedAccess) terms.push(`${s.unstatedAccess} other × ${POINTS.unstated}`);
  const cappedAccess = Math.min(access, POINTS.resourceCap);
  add(`resources: ${terms.join(' + ')}${access > POINTS.resourceCap ? ` (capped at ${POINTS.resourceCap})` : ''}`, cappedAccess);
  const ids = Math.min(s.identities * POINTS.identity, POINTS.identityCap);
  add(`${s.identities} identit${s.identities === 1 ? 'y' : 'ies'} × ${POINTS.identity}${ids === POINTS.identityCap ? ` (capped at ${POINTS.identityCap})` : ''}`, ids);
  const creds = Math.min(s.credentials * POINTS.credential, POINTS.credentialCap);
  add(`${s.credentials} credential${s.credentials === 1 ? '' : 's'} × ${POINTS.credential}${creds === POINTS.credentialCap ? ` (capped at ${POINTS.credentialCap})` : ''}`, creds);
  const reach = parts.reduce((a, p) => a + p.points, 0);
  if (s.status === 'inactive' && reach > 0) add(`inactive: keeps ${POINTS.inactiveShare * 100}% of its reach`, -(reach - Math.round(reach * POINTS.inactiveShare)));
  if (s.usedAfterExposure) add('seen in use after it was exposed', POINTS.usedAfterExposure);
  return { score: parts.reduce((a, p) => a + p.points, 0), parts };
}
