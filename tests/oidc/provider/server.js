// A real OpenID provider (npm's certified `oidc-provider`) for the forum_server tests.
//
//   node server.js PORT ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI[,REDIRECT_URI...]
//
// One static confidential client; PKCE required; the library's development login and
// consent pages (features.devInteractions). The login page accepts any login name, and
// the name chooses the account's claims, so a test picks who signs in:
//
//   "alice"                  sub "alice", email alice@example.org, email_verified false
//   "alice-verified"         sub "alice-verified", email alice-verified@example.org, verified
//   "bob@example.net"        sub "bob@example.net", email bob@example.net, not verified
//   "noemail-..."            no email claim at all
//
// Not for production: in-memory storage, development interactions, a fixed cookie key.
import Provider from 'oidc-provider';

const [port, issuer, clientId, clientSecret, redirectUris] = process.argv.slice(2);
if (!redirectUris) {
  console.error('usage: node server.js PORT ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI[,...]');
  process.exit(2);
}

function claimsFor(login) {
  const claims = { sub: login, name: `Test ${login.split('@')[0]}` };
  if (!login.startsWith('noemail-')) {
    claims.email = login.includes('@') ? login : `${login}@example.org`;
    claims.email_verified = login.endsWith('-verified');
  }
  return claims;
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris.split(','),
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['forum-server-tests-only'] },
  async findAccount(ctx, id) {
    return { accountId: id, claims: async () => claimsFor(id) };
  },
});

provider.on('server_error', (ctx, error) => console.error('server_error', error));

const server = provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
