import type { EdgeRule } from './types.js';
import { reads, kindsOfProviders } from '../reads.js';

// Links Entra objects that different exports describe: an app registration to its service principal (same
// appId: the app's credentials get tokens for the service principal, which holds the role assignments), and
// owners of an app or service principal to it (owners can add a client secret, then sign in as it).

export const azureAppLinks: EdgeRule = {
  id: 'azure-app-links',
  description: 'Entra: an application authenticates as its service principal (same appId); owners of an application or service principal can add credentials to it',
  emits: ['AUTHENTICATES_AS', 'CAN_ESCALATE'],
  reads: reads({ nodes: kindsOfProviders('azure'), edges: ['OWNS'], edgeEnds: { OWNS: { to: ['azure_application', 'azure_service_principal'] } } }),
  derive(ctx) {
    const apps = new Map<string, { id: string; name: string }>();
    for (const app of ctx.nodesOfKind('azure_application')) {
      const appId = app.props['appId'];
      if (typeof appId === 'string') apps.set(appId.toLowerCase(), { id: app.id, name: app.name });
    }
    if (apps.size) {
      for (const kind of ['azure_service_principal', 'azure_managed_identity'] as const) {
        for (const sp of ctx.nodesOfKind(kind)) {
          const appId = sp.props['appId'];
          const app = typeof appId === 'string' ? apps.get(appId.toLowerCase()) : undefined;
          if (!app) continue;
          ctx.emitEdge({
            from: app.id,
            to: sp.id,
            kind: 'AUTHENTICATES_AS',
            props: {
              reason: `tokens requested with the application's client id (${String(appId)}) and its credentials are issued to its service principal ${sp.name}`,
              technique: 'client credentials',
              evidence: [{ type: 'directory-object', summary: `application ${app.name} and service principal ${sp.name} share appId ${String(appId)}`, data: { appId: String(appId) } }],
            },
          });
        }
      }
    }
    for (const e of ctx.edgesOfKind('OWNS')) {
      const target = ctx.node(e.dst);
      if (!target || (target.kind !== 'azure_application' && target.kind !== 'azure_service_principal')) continue;
      ctx.emitEdge({
        from: e.src,
        to: target.id,
        kind: 'CAN_ESCALATE',
        props: {
          reason: `owners of ${target.kind === 'azure_application' ? 'an application' : 'a service principal'} can add a client secret or certificate to it and sign in as it`,
          technique: target.kind === 'azure_application' ? 'application owner: addPassword' : 'service principal owner: addPassword',
          evidence: [{ type: 'owner', summary: `${ctx.node(e.src)?.name ?? e.src} owns ${target.name}`, ...(typeof e.props.at === 'string' ? { location: e.props.at } : {}) }],
        },
      });
    }
  },
};
