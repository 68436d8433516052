// A real OpenID provider for the browser tests: the certified `oidc-provider` package (locked in
// package-lock.json), on the loopback address, with two test clients and a login page that asks
// for a BSN and the assurance level (`acr`) to log in with, as DigiD would establish it.
//
// Environment:
//   OIDC_PORT          port to listen on (127.0.0.1)
//   OIDC_REDIRECT_URI  the redirect URI of both clients
//   OIDC_CLIENT_JWK    public JWK (JSON) of client `rijksincasso` (private_key_jwt)
//   OIDC_CLIENT_SECRET secret of client `rijksincasso-ontwikkeling` (client_secret_basic)
// Prints `READY <issuer>` on stdout once it listens.
import { createServer } from 'node:http';
import { createHash, generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const redirectUri = process.env.OIDC_REDIRECT_URI;
const issuer = `http://127.0.0.1:${port}`;

const ACR = [
  'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI',
];

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-provider-1', alg: 'RS256', use: 'sig' };

// Accounts are made at login: the subject is a hash, the BSN a claim (as DigiD's `bsn`).
const accounts = new Map();

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'rijksincasso',
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [JSON.parse(process.env.OIDC_CLIENT_JWK)] },
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    {
      client_id: 'rijksincasso-ontwikkeling',
      client_secret: process.env.OIDC_CLIENT_SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [signingKey] },
  acrValues: ACR,
  claims: { openid: ['sub', 'bsn'] },
  // The BSN travels in the ID token itself, as the NL GOV profile for DigiD does.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['rijksincasso-test-provider-cookie-key'] },
  async findAccount(ctx, id) {
    const bsn = accounts.get(id);
    if (!bsn) return undefined;
    return { accountId: id, async claims() { return { sub: id, bsn }; } };
  },
});

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (req.method === 'POST') {
    const form = await readBody(req);
    const bsn = form.get('bsn') ?? '';
    const acr = form.get('acr') ?? '';
    const accountId = `sub-${createHash('sha256').update(bsn).digest('hex').slice(0, 16)}`;
    accounts.set(accountId, bsn);
    await provider.interactionFinished(req, res, { login: { accountId, acr } }, { mergeWithLastSubmission: false });
    return;
  }
  if (prompt.name === 'consent') {
    const grant = new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    grant.addOIDCScope('openid');
    grant.addOIDCClaims(['bsn']);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  const options = ACR.map((a) => `<option value="${escape(a)}">${escape(a)}</option>`).join('');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Test-DigiD</title></head>
<body><h1>Test-DigiD (alleen voor de tests)</h1>
<form method="post" action="/interaction/${escape(uid)}">
<label for="bsn">BSN</label> <input id="bsn" name="bsn" autocomplete="off">
<label for="acr">Niveau</label> <select id="acr" name="acr">${options}</select>
<button type="submit" id="inloggen">Inloggen</button>
</form></body></html>`);
}

const callback = provider.callback();
const server = createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end(`interaction failed: ${error.message}`);
    });
  } else {
    callback(req, res);
  }
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
