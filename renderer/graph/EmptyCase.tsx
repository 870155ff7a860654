import { useAppStore } from '../store';

/** What produces the inputs Blastmap reads most: the commands a responder runs (all formats: `blastmap formats`). */
const SOURCES: { what: string; command: string }[] = [
  { what: 'AWS IAM (users, roles, policies, trust)', command: 'aws iam get-account-authorization-details > gaad.json' },
  { what: 'AWS access keys and their last use', command: 'aws iam get-credential-report --query Content --output text | base64 -d > report.csv' },
  { what: 'Kubernetes service accounts and RBAC', command: 'kubectl get ns,sa,secrets,roles,rolebindings,clusterroles,clusterrolebindings,pods -A -o json > cluster.json' },
  { what: 'Leaked secrets in a repository', command: 'gitleaks detect --report-format json --report-path leaks.json' },
  { what: 'What was actually used', command: 'CloudTrail log files (*.json.gz) as delivered to S3' },
  { what: 'Azure apps and role assignments', command: 'az ad sp list --all > sps.json; az role assignment list --all > rbac.json' },
  { what: 'What was used in Azure', command: 'az monitor activity-log list --offset 30d > activity.json; az rest --url https://graph.microsoft.com/beta/auditLogs/signIns > signins.json' },
  { what: 'GCP identities and policies', command: 'gcloud asset export --content-type=iam-policy … (or gcloud iam service-accounts list --format=json)' },
  { what: 'Anything BloodHound collects', command: 'an OpenGraph JSON file' },
];

/** An empty case: what to drop on the window and which commands produce it. */
export function EmptyCase() {
  const store = useAppStore();
  return (
    <div className="empty-case" data-testid="empty-case">
      <h2>This case is empty</h2>
      <p>
        Drop export files anywhere on this window, or{' '}
        <button type="button" className="primary" onClick={() => store.getState().setImportOpen(true)} data-testid="empty-import">
          Import exports…
        </button>
      </p>
      <p className="muted small">Blastmap reads the files these commands write (the format is detected from the content):</p>
      <table className="grid-table">
        <tbody>
          {SOURCES.map((s) => (
            <tr key={s.what}>
              <td>{s.what}</td>
              <td className="mono">{s.command}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        <code>blastmap formats</code> lists every format; <code>blastmap demo --case demo.blastmap</code> builds a demo case to try it on.
      </p>
    </div>
  );
}
