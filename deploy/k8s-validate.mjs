// Validates Kubernetes objects against the Kubernetes API schemas bundled in the npm package kubernetes-models
// (generated from the Kubernetes OpenAPI specification). Usage: node k8s-validate.mjs objects.json
// objects.json: a JSON array of {file, object}. Run from a directory whose node_modules holds kubernetes-models
// (KubernetesSchemaIT copies this file there). Prints one line per object; exits 1 when any is invalid.
import { readFileSync } from 'node:fs';

const items = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let invalid = 0;
for (const { file, object } of items) {
  const where = `${file}: ${object.kind} ${object.metadata?.name ?? '?'}`;
  let model;
  try {
    // The core group is "v1"; others are "group/version", which is also the package's module path.
    model = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`))[object.kind];
  } catch (e) {
    console.log(`INVALID ${where}: no schema for apiVersion ${object.apiVersion} kind ${object.kind}`);
    invalid++;
    continue;
  }
  try {
    new model(object).validate();
    console.log(`valid ${where}`);
  } catch (e) {
    console.log(`INVALID ${where}: ${e.message}`);
    invalid++;
  }
}
process.exit(invalid === 0 ? 0 : 1);
