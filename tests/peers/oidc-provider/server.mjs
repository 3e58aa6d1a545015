#!/usr/bin/env node
// Third-party DCR / OAuth 2.0 peer for DCR Console integration tests.
//
// This is panva's `oidc-provider` (pinned in package-lock.json) behind Node's
// `https` server with mutual TLS, configured for:
//   - RFC 7591 dynamic client registration (no initial access token, a
//     registration access token is issued on every registration),
//   - RFC 7592 client read / update / delete,
//   - the client_credentials grant,
//   - client auth: tls_client_auth, private_key_jwt, client_secret_basic,
//     client_secret_post,
//   - PS256 / ES256 (and RS256 where the library needs a default),
//   - Open Banking UK style registration requests: a signed JWT body
//     (Content-Type application/jwt or application/jose) whose claims are the
//     client metadata. A small Koa middleware turns those into RFC 7591 JSON
//     before oidc-provider sees them (see `registrationPreParser` below).
//
// Why oidc-provider 8.8.1 and not 9.x: 9.0.0 "removed support for Node.js
// 20.x" (its CHANGELOG; 9.x warns "Unsupported runtime" on Node 20) and the
// project's machines run Node 20. 8.8.1 is the last release that supports it.
//
// Usage:
//   node server.mjs --cert server.pem --key server.key --ca ca.pem
//                   [--rotate-rat] [--no-registration-mtls] [--strict]
//                   [--verify-request-jws] [--host 127.0.0.1] [--port 0]
//
// When ready it prints ONE line of JSON to stdout (everything else the process
// or the library logs goes to stderr):
//   {"port":N,"issuer":"https://127.0.0.1:N","registration_endpoint":"...",
//    "token_endpoint":"...","jwks_uri":"...","discovery":"..."}
// It exits on SIGTERM / SIGINT and when its stdin reaches EOF or closes, so a
// test that dies (and so closes the pipe) never leaves it running. Start it
// with stdin connected to a pipe the test holds open; with stdin at /dev/null
// it exits at once (use `--stdin-ignore` to opt out, e.g. by hand).

import { X509Certificate, createPublicKey, randomBytes, generateKeyPairSync, verify as cryptoVerify, constants as cryptoConstants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { parseArgs } from 'node:util';

// ---------------------------------------------------------------------------
// stdout is reserved for the single ready line. oidc-provider prints notices
// with console.info (stdout) and warnings with console.warn (stderr): send all
// console output to stderr.
// ---------------------------------------------------------------------------
const toStderr = (...args) => { process.stderr.write(`${args.map(String).join(' ')}\n`); };
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;

const { values: opts } = parseArgs({
  options: {
    cert: { type: 'string' },
    key: { type: 'string' },
    ca: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    'rotate-rat': { type: 'boolean', default: false },
    'no-registration-mtls': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    'verify-request-jws': { type: 'boolean', default: false },
    'stdin-ignore': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (opts.help || !opts.cert || !opts.key || !opts.ca) {
  process.stderr.write(`usage: node server.mjs --cert FILE --key FILE --ca FILE [options]
  --cert FILE              server certificate (PEM); SAN should cover 127.0.0.1
  --key FILE               server private key (PEM)
  --ca FILE                CA bundle (PEM) that client certificates must chain to
  --host ADDR              listen address (default 127.0.0.1; loopback only)
  --port N                 listen port (default 0 = ephemeral)
  --rotate-rat             rotate the registration access token on every PUT
                           (RFC 7592 update); default: keep the same token
  --no-registration-mtls   allow POST/GET/PUT/DELETE on the registration
                           endpoints without a verified client certificate
                           (default: they require one, as OBIE ASPSPs do)
  --strict                 disable the peer's metadata normalisations (see
                           README); JWT bodies are still decoded
  --verify-request-jws     verify the signature of application/jwt registration
                           requests against a key in the payload's inline
                           "jwks" (matched by kid); reject if none matches
  --stdin-ignore           do not exit when stdin closes
`);
  process.exit(opts.help ? 0 : 2);
}

if (!['127.0.0.1', '::1', 'localhost'].includes(opts.host)) {
  process.stderr.write('refusing to listen on a non-loopback address\n');
  process.exit(2);
}

const { default: Provider, errors } = await import('oidc-provider');

// ---------------------------------------------------------------------------
// Lifetime: exit on signals and when the parent goes away (stdin EOF/close).
// ---------------------------------------------------------------------------
let server;
function shutdown(code = 0) {
  try { server?.closeAllConnections?.(); } catch { /* ignore */ }
  process.exit(code);
}
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
process.on('SIGHUP', () => shutdown(0));
if (!opts['stdin-ignore']) {
  process.stdin.on('end', () => shutdown(0));
  process.stdin.on('close', () => shutdown(0));
  process.stdin.on('error', () => shutdown(0));
  process.stdin.resume(); // start reading so that 'end' fires at EOF
}
// The ready line must be the only stdout output; if the parent closed our
// stdout, there is no-one to talk to.
process.stdout.on('error', () => shutdown(0));

// ---------------------------------------------------------------------------
// TLS. requestCert: true, rejectUnauthorized: false:
//  - the TLS handshake succeeds without a client certificate (or with an
//    untrusted one) so that discovery/JWKS work and, more importantly, so
//    that a token request without a certificate gets an OAuth error response
//    (401 invalid_client "client certificate was not provided") that the test
//    can assert on, instead of a handshake failure;
//  - security is then enforced in the application layer:
//      * oidc-provider's features.mTLS.certificateAuthorized() returns
//        socket.authorized, i.e. whether the chain verified against --ca;
//        tls_client_auth fails without a verified certificate;
//      * registration endpoints (POST /reg, GET/PUT/DELETE /reg/:id) require
//        a verified client certificate in `requireMtlsForRegistration` below
//        (unless --no-registration-mtls);
//      * certificate-bound access tokens (RFC 8705) need a certificate too.
//    private_key_jwt / client_secret_* token requests do not need a client
//    certificate here (oidc-provider does not demand one for those).
// ---------------------------------------------------------------------------
const tlsOptions = {
  cert: readFileSync(opts.cert),
  key: readFileSync(opts.key),
  ca: readFileSync(opts.ca),
  requestCert: true,
  rejectUnauthorized: false,
  minVersion: 'TLSv1.2',
};

function peerCertificate(ctx) {
  const socket = ctx.req.socket;
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const peer = socket.getPeerCertificate(false);
  if (!peer || !peer.raw) return undefined; // {} when no certificate was sent
  return new X509Certificate(peer.raw);
}

// ---------------------------------------------------------------------------
// Distinguished-name matching for tls_client_auth_subject_dn.
// The registered value is an RFC 4514 string ("CN=x,OU=y,O=z,C=GB", most
// specific RDN first, as OBIE uses). Node's X509Certificate#subject gives the
// certificate's RDNs one per line in ASN.1 order ("C=GB\nO=z\nOU=y\nCN=x").
// We parse both into [type, value] lists, normalise attribute type names
// (case-insensitive; OIDs and long names mapped to the short names), and
// accept the registered DN if it equals the certificate's RDN sequence in
// reverse (RFC 4514) order, or in forward (OpenSSL "/C=GB/O=z/..." style)
// order. Values are compared exactly (case-sensitive) after RFC 4514
// unescaping; hex-encoded (#...) values are not supported.
// ---------------------------------------------------------------------------
const ATTR_ALIASES = new Map(Object.entries({
  commonname: 'CN', cn: 'CN', '2.5.4.3': 'CN',
  countryname: 'C', c: 'C', '2.5.4.6': 'C',
  organizationname: 'O', o: 'O', '2.5.4.10': 'O',
  organizationalunitname: 'OU', ou: 'OU', '2.5.4.11': 'OU',
  localityname: 'L', l: 'L', '2.5.4.7': 'L',
  stateorprovincename: 'ST', st: 'ST', s: 'ST', '2.5.4.8': 'ST',
  streetaddress: 'STREET', street: 'STREET', '2.5.4.9': 'STREET',
  serialnumber: 'SERIALNUMBER', '2.5.4.5': 'SERIALNUMBER',
  organizationidentifier: 'ORGANIZATIONIDENTIFIER', '2.5.4.97': 'ORGANIZATIONIDENTIFIER',
  emailaddress: 'EMAILADDRESS', e: 'EMAILADDRESS', email: 'EMAILADDRESS', '1.2.840.113549.1.9.1': 'EMAILADDRESS',
  domaincomponent: 'DC', dc: 'DC', '0.9.2342.19200300.100.1.25': 'DC',
  uid: 'UID', userid: 'UID', '0.9.2342.19200300.100.1.1': 'UID',
}));
const normType = (t) => {
  const k = t.trim().toLowerCase().replace(/^oid\./, '');
  return ATTR_ALIASES.get(k) ?? k.toUpperCase();
};

// Split on an unescaped separator character.
function splitUnescaped(s, sepRe) {
  const out = [];
  let cur = '';
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) { cur += c + s[i + 1]; i += 1; continue; }
    if (sepRe.test(c)) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}
function unescapeValue(v) {
  let s = v.trim();
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) s = s.slice(1, -1);
  // \XX hex pairs (UTF-8 bytes) and \<char>
  const bytes = [];
  for (let i = 0; i < s.length; i += 1) {
    if (s[i] === '\\' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2;
    } else if (s[i] === '\\' && i + 1 < s.length) {
      bytes.push(...Buffer.from(s[i + 1])); i += 1;
    } else {
      bytes.push(...Buffer.from(s[i]));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
function parseDnList(rdns) {
  const atoms = [];
  for (const rdn of rdns) {
    if (!rdn.trim()) continue;
    // multi-valued RDN "A=1+B=2": keep attributes sorted within the RDN
    const parts = splitUnescaped(rdn, /\+/).map((ava) => {
      const eq = ava.indexOf('=');
      if (eq < 0) return null;
      return `${normType(ava.slice(0, eq))}=${unescapeValue(ava.slice(eq + 1))}`;
    });
    if (parts.includes(null)) return null;
    atoms.push(parts.sort().join('+'));
  }
  return atoms;
}
const parseRfc4514 = (dn) => parseDnList(splitUnescaped(dn, /[,;]/));
const parseNodeSubject = (subject) => parseDnList(subject.split('\n'));

function subjectDnMatches(cert, expected) {
  const want = parseRfc4514(String(expected));
  const have = parseNodeSubject(cert.subject);
  if (!want || !have || want.length !== have.length) return false;
  const eq = (a, b) => a.every((x, i) => x === b[i]);
  return eq(want, [...have].reverse()) || eq(want, have);
}

function sanMatches(cert, property, expected) {
  const san = cert.subjectAltName ?? '';
  // "DNS:a, IP Address:1.2.3.4, email:x@y, URI:https://..."
  const entries = san.split(/,\s*/).map((e) => {
    const i = e.indexOf(':');
    return [e.slice(0, i), e.slice(i + 1)];
  });
  const kind = {
    tls_client_auth_san_dns: 'DNS',
    tls_client_auth_san_ip: 'IP Address',
    tls_client_auth_san_email: 'email',
    tls_client_auth_san_uri: 'URI',
  }[property];
  return entries.some(([k, v]) => k === kind && v === expected);
}

// ---------------------------------------------------------------------------
// Provider signing keys: generated per run (RSA 2048 for PS256/RS256, P-256
// for ES256) so no development keys are used.
// ---------------------------------------------------------------------------
function jwkOf(privateKey, kid, alg) {
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg };
}
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa2 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const providerJwks = {
  keys: [
    jwkOf(rsa.privateKey, 'ps256-1', 'PS256'),
    jwkOf(ec.privateKey, 'es256-1', 'ES256'),
    // oidc-provider wants a key per enabled alg; kept for RS256 (library
    // defaults such as introspection/authorization signing).
    jwkOf(rsa2.privateKey, 'rs256-1', 'RS256'),
  ],
};

// OBIE / RFC 7591 metadata oidc-provider does not know. Listing them here
// keeps them on the client record and echoes them back in responses; any
// other unknown member is silently dropped by oidc-provider (not rejected).
const EXTRA_METADATA = [
  'software_id',
  'software_version',
  'software_statement',
  'software_roles',
  'org_id',
  'org_name',
  'request_object_signing_alg',
  'request_object_encryption_alg',
  'request_object_encryption_enc',
  'backchannel_token_delivery_mode',
  'backchannel_client_notification_endpoint',
  'backchannel_authentication_request_signing_alg',
  'backchannel_user_code_parameter_supported',
];

const SCOPES = ['openid', 'offline_access', 'accounts', 'payments', 'fundsconfirmations'];

// ---------------------------------------------------------------------------
// Start listening first (ephemeral port), then build the provider whose
// issuer contains the port.
// ---------------------------------------------------------------------------
server = https.createServer(tlsOptions);
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(opts.port), opts.host, resolve);
});
const { port } = server.address();
const hostForUrl = opts.host === '::1' ? '[::1]' : opts.host;
const issuer = `https://${hostForUrl}:${port}`;

const configuration = {
  jwks: providerJwks,
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  scopes: SCOPES,
  clientAuthMethods: ['tls_client_auth', 'private_key_jwt', 'client_secret_basic', 'client_secret_post'],
  clientDefaults: {
    // FAPI-ish default: RS256 is not in idTokenSigningAlgValues below.
    id_token_signed_response_alg: 'PS256',
  },
  enabledJWA: {
    clientAuthSigningAlgValues: ['PS256', 'ES256'],
    idTokenSigningAlgValues: ['PS256', 'ES256'],
    requestObjectSigningAlgValues: ['PS256', 'ES256'],
  },
  extraClientMetadata: {
    properties: EXTRA_METADATA,
    validator(ctx, key, value /* , metadata */) {
      if (value === undefined) return;
      if (key === 'software_roles' && !Array.isArray(value) && typeof value !== 'string') {
        throw new errors.InvalidClientMetadata('software_roles must be an array or a string');
      }
      if (key !== 'software_roles' && typeof value !== 'string') {
        throw new errors.InvalidClientMetadata(`${key} must be a string`);
      }
    },
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    registration: {
      enabled: true,
      initialAccessToken: false,
      issueRegistrationAccessToken: true,
    },
    registrationManagement: {
      enabled: true,
      rotateRegistrationAccessToken: opts['rotate-rat'],
    },
    mTLS: {
      enabled: true,
      tlsClientAuth: true,
      certificateBoundAccessTokens: true,
      selfSignedTlsClientAuth: false,
      getCertificate(ctx) {
        return peerCertificate(ctx);
      },
      certificateAuthorized(ctx) {
        // true only if the TLS layer verified the chain against --ca
        return ctx.req.socket.authorized === true;
      },
      certificateSubjectMatches(ctx, property, expected) {
        const cert = peerCertificate(ctx);
        if (!cert) return false;
        if (property === 'tls_client_auth_subject_dn') return subjectDnMatches(cert, expected);
        return sanMatches(cert, property, expected);
      },
    },
  },
  // No interactive login in this peer: only client_credentials is used.
  async findAccount(ctx, sub) {
    return { accountId: sub, async claims() { return { sub }; } };
  },
  ttl: {
    ClientCredentials: 600,
  },
};

const provider = new Provider(issuer, configuration);
// TLS is terminated by this process itself, no proxy in front.
provider.proxy = false;

const REG_PATH = '/reg';

// ---------------------------------------------------------------------------
// Require a verified client certificate on the registration endpoints
// (OBIE ASPSPs require the TPP's transport certificate there).
// ---------------------------------------------------------------------------
async function requireMtlsForRegistration(ctx, next) {
  const onReg = ctx.path === REG_PATH || ctx.path.startsWith(`${REG_PATH}/`);
  if (onReg && !opts['no-registration-mtls'] && ctx.req.socket.authorized !== true) {
    const cert = peerCertificate(ctx);
    ctx.status = 401;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      error: 'invalid_client',
      error_description: cert
        ? 'client certificate was not verified'
        : 'a client certificate is required on the registration endpoint',
    };
    return;
  }
  await next();
}

// ---------------------------------------------------------------------------
// Registration pre-parser.
//
// oidc-provider's registration endpoint only takes application/json. Open
// Banking UK registration requests are instead a JWS (Content-Type
// application/jwt, sometimes application/jose) whose payload is the client
// metadata, plus JWT claims (iss = software_id, aud = ASPSP, iat, exp, jti)
// and a `software_statement` (itself a JWT, kept opaque here).
//
// For POST /reg and PUT /reg/:id this middleware:
//   1. reads the body (limit 256 KiB);
//   2. for application/jwt|jose: splits the compact JWS, base64url-decodes the
//      payload (the signature is NOT verified unless --verify-request-jws, in
//      which case it must verify with a key from the payload's own inline
//      `jwks`, selected by the header kid; jwks_uri is never fetched);
//      drops the JWT-only claims iss, aud, iat, exp, nbf, jti;
//      for application/json: JSON.parse;
//   3. unless --strict, normalises a few things oidc-provider would otherwise
//      reject for a typical OBIE client (see normaliseMetadata);
//   4. hands the object to oidc-provider as if it were a parsed JSON body:
//      Content-Type is rewritten to application/json and the object is put on
//      req.body (oidc-provider's body parser accepts an upstream-parsed body;
//      it logs a one-time "already parsed request body detected" warning on
//      stderr, which is expected).
// Malformed bodies are answered here with 400 invalid_client_metadata /
// invalid_request (this middleware runs before oidc-provider's own error
// handler, so it writes the OAuth error JSON itself).
// ---------------------------------------------------------------------------
const JWT_ONLY_CLAIMS = ['iss', 'aud', 'iat', 'exp', 'nbf', 'jti'];
const BODY_LIMIT = 256 * 1024;

function b64urlJson(part, what) {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new BadBody('invalid_client_metadata', `${what} is not base64url-encoded JSON`);
  }
}

class BadBody extends Error {
  constructor(error, description) { super(description); this.error = error; }
}

async function readRaw(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new BadBody('invalid_request', 'request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function verifyJws(header, signingInput, signature, payload) {
  const keys = payload?.jwks?.keys;
  if (!Array.isArray(keys)) {
    throw new BadBody('invalid_client_metadata', 'cannot verify the request: no inline jwks in the payload (jwks_uri is not fetched)');
  }
  const jwk = keys.find((k) => (header.kid === undefined || k.kid === header.kid)
    && (k.use === undefined || k.use === 'sig'));
  if (!jwk) throw new BadBody('invalid_client_metadata', 'cannot verify the request: no key with a matching kid in jwks');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const sig = Buffer.from(signature, 'base64url');
  const data = Buffer.from(signingInput);
  let ok;
  switch (header.alg) {
    case 'PS256':
      ok = cryptoVerify('sha256', data, { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
      break;
    case 'RS256':
      ok = cryptoVerify('sha256', data, key, sig);
      break;
    case 'ES256':
      ok = cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
      break;
    default:
      throw new BadBody('invalid_client_metadata', `unsupported request signing alg ${header.alg}`);
  }
  if (!ok) throw new BadBody('invalid_client_metadata', 'request signature verification failed');
}

function decodeJwtBody(text) {
  const compact = text.trim();
  const parts = compact.split('.');
  if (parts.length !== 3) {
    throw new BadBody('invalid_client_metadata', 'registration request must be a compact JWS (three dot-separated parts)');
  }
  const header = b64urlJson(parts[0], 'JWS header');
  if (typeof header !== 'object' || header === null || !header.alg || header.alg === 'none') {
    throw new BadBody('invalid_client_metadata', 'JWS header must have a non-"none" alg');
  }
  const payload = b64urlJson(parts[1], 'JWS payload');
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new BadBody('invalid_client_metadata', 'JWS payload must be a JSON object');
  }
  if (opts['verify-request-jws']) verifyJws(header, `${parts[0]}.${parts[1]}`, parts[2], payload);
  for (const claim of JWT_ONLY_CLAIMS) delete payload[claim];
  return payload;
}

function normaliseMetadata(md, clientIdFromPath) {
  // RFC 7592 wants client_id in the update body; OBIE update JWTs often omit
  // it. Take it from the URL (a mismatching one is still rejected by
  // oidc-provider).
  if (clientIdFromPath !== undefined && md.client_id === undefined) md.client_id = clientIdFromPath;
  // Client keys: OBIE registration requests usually carry no jwks/jwks_uri;
  // the ASPSP takes the key set URL from the software statement
  // (`software_jwks_endpoint`). oidc-provider requires jwks or jwks_uri for
  // private_key_jwt and whenever request_object_signing_alg (etc.) is an
  // asymmetric alg ("jwks or jwks_uri is mandatory for this client"). Copy it
  // over when the request has neither. The SSA is only decoded, never
  // verified, and the URL is not fetched at registration time.
  if (md.jwks === undefined && md.jwks_uri === undefined && typeof md.software_statement === 'string') {
    const ssa = md.software_statement.split('.');
    if (ssa.length === 3) {
      try {
        const claims = JSON.parse(Buffer.from(ssa[1], 'base64url').toString('utf8'));
        if (typeof claims?.software_jwks_endpoint === 'string') md.jwks_uri = claims.software_jwks_endpoint;
      } catch { /* opaque software statement: leave it alone */ }
    }
  }
  // OBIE sends `scope` as a space-separated string already; some TPPs send
  // an array.
  if (Array.isArray(md.scope)) md.scope = md.scope.join(' ');
  const grants = Array.isArray(md.grant_types) ? md.grant_types : undefined;
  // RFC 7591 defaults response_types to ["code"], which oidc-provider then
  // rejects for a client whose grant_types lack authorization_code
  // ("grant_types must contain 'authorization_code' when code is amongst
  // response_types"). A client_credentials-only client means "no response
  // types".
  if (md.response_types === undefined && grants
      && !grants.includes('authorization_code') && !grants.includes('implicit')) {
    md.response_types = [];
  }
  // OBIE clients register response_types ["code id_token"] with grant_types
  // [authorization_code, refresh_token, client_credentials] (no "implicit");
  // oidc-provider insists on "implicit" for any id_token/token response type.
  if (Array.isArray(md.response_types) && grants && !grants.includes('implicit')
      && md.response_types.some((rt) => /(^|\s)(id_token|token)(\s|$)/.test(String(rt)))) {
    md.grant_types = [...grants, 'implicit'];
  }
  return md;
}

async function registrationPreParser(ctx, next) {
  const isCreate = ctx.method === 'POST' && ctx.path === REG_PATH;
  const isUpdate = ctx.method === 'PUT' && ctx.path.startsWith(`${REG_PATH}/`);
  if (!isCreate && !isUpdate) return next();

  const type = (ctx.get('content-type') || '').split(';')[0].trim().toLowerCase();
  const isJwt = type === 'application/jwt' || type === 'application/jose';
  // RFC 7591 JSON bodies (application/json) are what oidc-provider itself takes: they reach it
  // untouched (its own body parser, its own validation), so a JSON-body registration is judged
  // by the third-party server alone. Anything else but a JWT also goes through (400 there).
  if (!isJwt) return next();

  let metadata;
  try {
    const text = await readRaw(ctx.req);
    metadata = decodeJwtBody(text);
    if (!opts.strict && metadata && typeof metadata === 'object' && !Array.isArray(metadata)) {
      normaliseMetadata(metadata, isUpdate ? decodeURIComponent(ctx.path.slice(REG_PATH.length + 1)) : undefined);
    }
  } catch (err) {
    if (!(err instanceof BadBody)) throw err;
    ctx.status = 400;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { error: err.error, error_description: err.message };
    return undefined;
  }

  ctx.req.headers['content-type'] = 'application/json';
  // type-is (ctx.is) only matches when the request "has a body", i.e. has
  // a content-length or transfer-encoding header: keep one, consistent with
  // the rewritten body.
  ctx.req.headers['content-length'] = String(Buffer.byteLength(JSON.stringify(metadata)));
  delete ctx.req.headers['transfer-encoding'];
  ctx.req.body = metadata;
  ctx.state.registrationBodyType = type;
  return next();
}

provider.use(requireMtlsForRegistration);
provider.use(registrationPreParser);

// Log errors oidc-provider reports to stderr (useful when a test fails).
for (const ev of ['server_error', 'registration_create.error', 'registration_read.error',
  'registration_update.error', 'registration_delete.error', 'grant.error']) {
  provider.on(ev, (ctx, err) => {
    process.stderr.write(`[peer] ${ev}: ${err?.error ?? err?.name} ${err?.error_description ?? err?.message ?? ''}${err?.error_detail ? ` (${err.error_detail})` : ''}\n`);
  });
}

server.on('request', provider.callback());

const ready = {
  port,
  issuer,
  registration_endpoint: `${issuer}${REG_PATH}`,
  token_endpoint: `${issuer}/token`,
  jwks_uri: `${issuer}/jwks`,
  discovery: `${issuer}/.well-known/openid-configuration`,
  rotate_registration_access_token: opts['rotate-rat'],
  registration_requires_mtls: !opts['no-registration-mtls'],
  strict: opts.strict,
  verify_request_jws: opts['verify-request-jws'],
};
process.stdout.write(`${JSON.stringify(ready)}\n`);
