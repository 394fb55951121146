// oidc-op.mjs - an OpenID provider for the single sign-on tests
// (tests/integration/t0032-oidc.sh, tests/browser/sso.test.mjs).
//
//   node tools/oidc-op.mjs --port-file FILE [--forge] [--port N]
//
// Without --forge: the npm package oidc-provider (a certified OpenID
// provider) with one client (id vigil, secret vigil-test-secret; a native
// client, so any loopback port of http://127.0.0.1/ui/oidc/callback is a
// registered redirect URI, RFC 8252 7.3), PKCE S256 required, RS256 ID
// tokens that carry preferred_username and groups, and its development login
// form (any password) for the users:
//   alice  groups vigil-psirt
//   bob    groups vigil-admins, vigil-psirt
//   eve    groups staff (no vigil group: vigil refuses her)
//   admin  groups vigil-admins (clashes with vigil's local admin)
//   sso-browser (vigil-psirt), sso-stranger (staff): the browser test's
//
// With --forge: a provider written here that logs frank (vigil-psirt) in at
// once and signs each ID token as POST /mode?m=MODE last asked: ok-rs256,
// ok-es256, badsig (an RSA key not in its JWKS, under the published kid),
// aud (another client), expired (exp an hour ago), replay (the nonce of the
// previous login), iss (another issuer), none (alg none). It checks the PKCE
// verifier and the client's Basic credentials like a real provider. The
// chosen port is written to FILE once the provider listens.
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';

const args = process.argv.slice(2);
const opt = (n) => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : undefined; };
const portFile = opt('--port-file');
const forge = args.includes('--forge');
const CLIENT = 'vigil';
const SECRET = 'vigil-test-secret';
const users = {
  alice: ['vigil-psirt'],
  bob: ['vigil-admins', 'vigil-psirt'],
  eve: ['staff'],
  admin: ['vigil-admins'],
  'sso-browser': ['vigil-psirt'], // tests/browser/sso.test.mjs
  'sso-stranger': ['staff'],
};

const server = http.createServer();
server.listen(Number(opt('--port') || 0), '127.0.0.1', async () => {
  const port = server.address().port;
  const issuer = `http://127.0.0.1:${port}`;
  if (forge) server.on('request', await forged(issuer));
  else server.on('request', await real(issuer));
  if (portFile) fs.writeFileSync(portFile, String(port));
  console.log(`oidc-op ${forge ? 'forge' : 'real'} ${issuer}`);
});
process.on('SIGTERM', () => process.exit(0));

async function real(issuer) {
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT,
      client_secret: SECRET,
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/ui/oidc/callback'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { required: () => true, methods: ['S256'] },
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name'],
      email: ['email'],
      groups: ['groups'],
    },
    // the claims of the scopes in the ID token itself, not only at userinfo
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['oidc-op-test-cookie-key'] },
    async findAccount(ctx, id) {
      if (!users[id]) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, preferred_username: id, name: id, email: `${id}@example.com`, groups: users[id] };
        },
      };
    },
    // first-party client: no consent screen, every asked scope granted
    async loadExistingGrant(ctx) {
      const id = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (id) return ctx.oidc.provider.Grant.find(id);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email groups');
      await grant.save();
      return grant;
    },
  });
  provider.on('server_error', (ctx, err) => console.error('server_error', err));
  return provider.callback();
}

function b64u(buf) { return Buffer.from(buf).toString('base64url'); }

async function forged(issuer) {
  const jose = await import('jose');
  const rsa = await jose.generateKeyPair('RS256');
  const ec = await jose.generateKeyPair('ES256');
  const other = await jose.generateKeyPair('RS256');
  const jwks = { keys: [
    { ...(await jose.exportJWK(rsa.publicKey)), kid: 'r1', use: 'sig', alg: 'RS256' },
    { ...(await jose.exportJWK(ec.publicKey)), kid: 'e1', use: 'sig', alg: 'ES256' },
  ] };
  let mode = 'ok-rs256';
  let lastNonce = null;
  const codes = new Map();
  const send = (res, status, obj, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(obj));
  };
  return async (req, res) => {
    const u = new URL(req.url, issuer);
    let body = '';
    for await (const c of req) body += c;
    if (u.pathname === '/.well-known/openid-configuration')
      return send(res, 200, {
        issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`, response_types_supported: ['code'], subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'], code_challenge_methods_supported: ['S256'],
      });
    if (u.pathname === '/jwks') return send(res, 200, jwks);
    if (u.pathname === '/mode' && req.method === 'POST') {
      mode = u.searchParams.get('m');
      return send(res, 200, { mode });
    }
    if (u.pathname === '/authorize') {
      const p = u.searchParams;
      if (p.get('client_id') !== CLIENT || p.get('response_type') !== 'code' ||
          p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge') || !p.get('nonce') ||
          !(p.get('scope') || '').split(' ').includes('openid'))
        return send(res, 400, { error: 'invalid_request', error_description: 'bad authorization request' });
      const code = crypto.randomBytes(16).toString('hex');
      codes.set(code, { nonce: p.get('nonce'), challenge: p.get('code_challenge'), redirect: p.get('redirect_uri'), prev: lastNonce });
      lastNonce = p.get('nonce');
      const to = new URL(p.get('redirect_uri'));
      to.searchParams.set('code', code);
      to.searchParams.set('state', p.get('state'));
      res.writeHead(303, { location: to.href });
      return res.end();
    }
    if (u.pathname === '/token' && req.method === 'POST') {
      const f = new URLSearchParams(body);
      const auth = Buffer.from((req.headers.authorization || '').replace(/^Basic /, ''), 'base64').toString();
      if (auth !== `${CLIENT}:${SECRET}`) return send(res, 401, { error: 'invalid_client' });
      const c = codes.get(f.get('code'));
      codes.delete(f.get('code'));
      if (!c || f.get('grant_type') !== 'authorization_code' || f.get('redirect_uri') !== c.redirect)
        return send(res, 400, { error: 'invalid_grant', error_description: 'unknown code or redirect_uri' });
      const s256 = b64u(crypto.createHash('sha256').update(f.get('code_verifier') || '').digest());
      if (s256 !== c.challenge) return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: issuer, aud: CLIENT, sub: 'frank-1', preferred_username: 'frank', groups: ['vigil-psirt'], nonce: c.nonce, iat: now, exp: now + 300 };
      let key = rsa.privateKey, alg = 'RS256', kid = 'r1';
      if (mode === 'ok-es256') { key = ec.privateKey; alg = 'ES256'; kid = 'e1'; }
      if (mode === 'badsig') key = other.privateKey;
      if (mode === 'aud') claims.aud = 'someone-else';
      if (mode === 'expired') { claims.iat = now - 3700; claims.exp = now - 3600; }
      if (mode === 'replay') claims.nonce = c.prev || 'no-previous-login';
      if (mode === 'iss') claims.iss = 'http://127.0.0.1:1/elsewhere';
      let idToken;
      if (mode === 'none') {
        idToken = `${b64u(JSON.stringify({ alg: 'none' }))}.${b64u(JSON.stringify(claims))}.`;
      } else {
        idToken = await new jose.SignJWT(claims).setProtectedHeader({ alg, kid }).sign(key);
      }
      return send(res, 200, { access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    send(res, 404, { error: 'not_found' });
  };
}
