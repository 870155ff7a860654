import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openEngine } from '../../src/api/engine.js';
import { kubernetes } from '../../src/importers/kubernetes.js';
import { createInput } from '../../src/importers/input.js';
import { cli, FIXTURES, parseAll, REAL, tempCase, tempDir } from '../helpers.js';

const K8S = join(FIXTURES, 'kubernetes');

describe('k8s-sa-cluster-admin on accounts known only from a binding', () => {
  it('reports the kind cluster\'s clusterrole-aggregation-controller, which can escalate, from an RBAC-only export', async () => {
    const engine = openEngine(tempCase(), { create: true });
    await engine.importFiles({ files: [join(REAL, 'kubernetes', 'kind-cluster-clusterrolebindings-list.json'), join(REAL, 'kubernetes', 'kind-cluster-clusterroles-list.json')].map((path) => ({ path })), options: { cluster: 'kind' } });
    const sa = 'k8s:kind/kube-system/serviceaccount/clusterrole-aggregation-controller';
    expect((await engine.node({ id: sa })).node.stub).toBe(true);
    const findings = await engine.findings({ rule: 'k8s-sa-cluster-admin' });
    expect(findings.map((f) => f.nodeId)).toEqual([sa]);
    expect(findings[0]!.summary).toMatch(/known only from the bindings that name it/);
    engine.close();
  });
});

describe('k8s-privileged-workload', () => {
  it('names the setting on the workload (once for its pods), a bare pod, and kube-system agents at low', async () => {
    const engine = openEngine(tempCase(), { create: true });
    const files = ['kubehound-attack-ce-priv-mount.yaml', 'kubehound-attack-ce-nsenter.yaml', 'kubehound-attack-ce-net-mitm.yaml', 'kubehound-attack-exploit-host-write.yaml', 'kubehound-attack-exploit-host-read-traverse.yaml', 'scenario-privileged-workloads-list.json'].map((f) => join(K8S, f));
    await engine.importFiles({ files: [...files, join(REAL, 'kubernetes', 'kind-cluster-kube-system-pods-list.json')].map((path) => ({ path })), options: { cluster: 'lab' } });
    const findings = await engine.findings({ rule: 'k8s-privileged-workload' });
    const by = (id: string) => findings.find((f) => f.nodeId === id);
    expect(by('k8s:lab/default/pod/priv-pod')).toMatchObject({ severity: 'high', title: 'Pod default/priv-pod can escape to its node: privileged container priv-pod' });
    expect(by('k8s:lab/default/pod/nsenter-pod')?.title).toBe('Pod default/nsenter-pod can escape to its node: privileged container nsenter-pod, hostPID: true');
    expect(by('k8s:lab/default/pod/host-write-exploit-pod')?.summary).toContain("hostPath / (the node's root filesystem)");
    expect(by('k8s:lab/default/pod/host-read-exploit-pod')?.summary).toContain('hostPath /var/lib/kubelet/pods');
    expect(by('k8s:lab/default/pod/netadmin-pod')).toMatchObject({ severity: 'medium', title: "Pod default/netadmin-pod shares its node's namespaces: hostNetwork: true" });
    expect(by('k8s:lab/ci/daemonset/ci-runner')).toMatchObject({ severity: 'high', title: 'Workload ci/ci-runner can escape to its node: hostPath /var/run/docker.sock' });
    // The Deployment is reported; its running pod is not reported again.
    expect(by('k8s:lab/ops/deployment/node-debugger')?.severity).toBe('high');
    expect(by('k8s:lab/ops/pod/node-debugger-7d9f8b6c5d-x2k4p')).toBeUndefined();
    expect(findings.some((f) => f.nodeId.includes('shop/'))).toBe(false);
    const proxy = findings.find((f) => f.nodeId.startsWith('k8s:lab/kube-system/pod/kube-proxy-'));
    expect(proxy).toMatchObject({ severity: 'low' });
    expect(proxy?.summary).toMatch(/usually a node agent/);
    expect(by('k8s:lab/default/pod/priv-pod')?.evidence[0]).toMatchObject({ type: 'node-props', location: 'kubehound-attack-ce-priv-mount.yaml document 1 (line 2)' });
    engine.close();
  });
});

describe('Helm templates and YAML warnings', () => {
  it('refuses an unrendered chart template with what to do, and prints no library warning', async () => {
    const warn = vi.spyOn(process, 'emitWarning');
    const r = await cli('import', join(K8S, 'helm-testchart-alpine-pod-template.yaml'), '--case', join(tempDir(), 'c.blastmap'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('helm-testchart-alpine-pod-template.yaml (line 4): this is an unrendered Helm chart template ({{ … }}): render it first (helm template <release> <chart> > manifests.yaml)');
    // A manifest whose YAML has a collection as a key: imported, and the YAML library says nothing on stderr.
    const f = await parseAll(kubernetes, createInput('odd.yaml', Buffer.from('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: odd\n  namespace: ns\n  labels:\n    ? [a, b]\n    : c\n')));
    expect(f.nodes.some((n) => n.kind === 'k8s_service_account' && n.name === 'ns/odd')).toBe(true);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
