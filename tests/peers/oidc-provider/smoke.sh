#!/usr/bin/env bash
# Smoke test for the oidc-provider DCR peer (server.mjs).
# Needs only bash, openssl, curl and node (npm for `npm ci` when node_modules
# is missing). Makes a throwaway PKI, starts the peer, and walks through
# registration (application/jwt and application/json), RFC 7592 management,
# client_credentials with tls_client_auth and private_key_jwt, and negative
# cases. Prints PASS/FAIL per step and "N passed, N failed" at the end; exits
# non-zero on any failure. Set KEEP_TMP=1 to keep the temp dir, VERBOSE=1 to
# print response bodies.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/oidc-peer-smoke.XXXXXX")"
SERVER_PID=""
PASSED=0
FAILED=0

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
  fi
  exec 3>&- 2>/dev/null || true
  if [[ "${KEEP_TMP:-0}" != 1 ]]; then rm -rf "$TMP"; else echo "kept $TMP" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "smoke: $*" >&2; exit 1; }

# -------------------------------------------------------------------- helpers
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# sign_jwt KEYFILE ALG HEADER_JSON PAYLOAD_JSON -> compact JWS (PS256 or ES256)
sign_jwt() {
  local key="$1" alg="$2" header="$3" payload="$4" input sig
  input="$(printf '%s' "$header" | b64url).$(printf '%s' "$payload" | b64url)"
  case "$alg" in
    PS256)
      sig="$(printf '%s' "$input" | openssl dgst -sha256 -sign "$key" \
        -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 | b64url)" ;;
    RS256)
      sig="$(printf '%s' "$input" | openssl dgst -sha256 -sign "$key" | b64url)" ;;
    *) die "sign_jwt: unsupported alg $alg" ;;
  esac
  printf '%s.%s' "$input" "$sig"
}

# jget FILE EXPR : print a value from a JSON file (EXPR is JS on `j`)
jget() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const v=('"$2"');process.stdout.write(v===undefined?"":typeof v==="string"?v:JSON.stringify(v))' "$1"; }

now() { date +%s; }
rnd() { openssl rand -hex 12; }

# req NAME ARGS... : curl, body -> $TMP/NAME.body, headers -> $TMP/NAME.hdr,
# status -> $TMP/NAME.code. Always uses the throwaway CA to verify the server.
req() {
  local name="$1"; shift
  curl -sS --cacert "$TMP/ca.pem" -o "$TMP/$name.body" -D "$TMP/$name.hdr" \
    -w '%{http_code}' "$@" >"$TMP/$name.code" 2>"$TMP/$name.curlerr" || true
  cat "$TMP/$name.code"
}

# check STEP NAME EXPECTED_STATUS [JS_ASSERTION on j]
check() {
  local step="$1" name="$2" want="$3" assertion="${4:-true}" got ok=1
  got="$(cat "$TMP/$name.code" 2>/dev/null)"
  [[ "$got" == "$want" ]] || ok=0
  if [[ $ok == 1 && "$assertion" != true ]]; then
    node -e 'const fs=require("fs");const t=fs.readFileSync(process.argv[1],"utf8");const j=t?JSON.parse(t):{};if(!('"$assertion"'))process.exit(1)' "$TMP/$name.body" 2>/dev/null || ok=0
  fi
  if [[ $ok == 1 ]]; then
    PASSED=$((PASSED + 1)); echo "PASS $step (HTTP $got)"
  else
    FAILED=$((FAILED + 1)); echo "FAIL $step (HTTP $got, want $want; assert: $assertion)"
    echo "  body: $(head -c 600 "$TMP/$name.body" 2>/dev/null)"
    grep -i '^www-authenticate' "$TMP/$name.hdr" 2>/dev/null | sed 's/^/  /'
    [[ -s "$TMP/$name.curlerr" ]] && sed 's/^/  curl: /' "$TMP/$name.curlerr"
  fi
  if [[ "${VERBOSE:-0}" == 1 ]]; then
    echo "  body: $(head -c 1200 "$TMP/$name.body" 2>/dev/null)"
    grep -i '^www-authenticate' "$TMP/$name.hdr" 2>/dev/null | sed 's/^/  /'
  fi
}

# ------------------------------------------------------------ prerequisites
for tool in openssl curl node; do command -v "$tool" >/dev/null || die "$tool not found"; done
if [[ ! -d "$HERE/node_modules/oidc-provider" ]]; then
  command -v npm >/dev/null || die "npm not found"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) >&2 || die "npm ci failed"
fi

# ------------------------------------------------------------ throwaway PKI
cd "$TMP" || die "no temp dir"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
  -subj "/C=GB/O=DCR Console Test/CN=DCR Console Test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null \
  || die "CA generation failed"

issue() { # issue NAME SUBJECT EXTFILE_CONTENT [CA_PREFIX]
  local name="$1" subj="$2" ext="$3" ca="${4:-ca}"
  openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "$subj" 2>/dev/null || die "csr $name"
  printf '%s\n' "$ext" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca.key" -CAcreateserial \
    -out "$name.pem" -days 2 -extfile "$name.ext" 2>/dev/null || die "cert $name"
}
issue server "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth"
issue client1 "/C=GB/O=DCR Console Test/OU=0015800001041RHAAY/CN=client-1" "extendedKeyUsage=clientAuth"
issue client2 "/C=GB/O=DCR Console Test/OU=0015800001041RHAAY/CN=client-2" "extendedKeyUsage=clientAuth"
# an untrusted CA and a client certificate from it (for the negative case)
openssl req -x509 -newkey rsa:2048 -nodes -keyout evilca.key -out evilca.pem -days 2 \
  -subj "/CN=Untrusted CA" -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null || die "evil CA"
issue evil "/C=GB/O=DCR Console Test/OU=0015800001041RHAAY/CN=client-1" "extendedKeyUsage=clientAuth" evilca

# RFC 4514 subject DN of client 1, e.g. CN=client-1,OU=...,O=DCR Console Test,C=GB
CLIENT1_DN="$(openssl x509 -in client1.pem -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
# the TPP's request-signing key (PS256) and its public JWK
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out signing.key 2>/dev/null || die "signing key"
SIGNING_JWK="$(node -e 'const c=require("crypto");const j=c.createPublicKey(require("fs").readFileSync(process.argv[1])).export({format:"jwk"});process.stdout.write(JSON.stringify({...j,kid:"k1",use:"sig",alg:"PS256"}))' signing.key)"

# ------------------------------------------------------------ start the peer
# stdin of the server is a pipe held by this script (fd 3): when the script
# dies, the pipe closes and the server exits on its own.
exec 3> >(exec node "$HERE/server.mjs" --cert server.pem --key server.key --ca ca.pem \
  >"$TMP/ready.json" 2>"$TMP/server.log")
SERVER_PID=$!
for _ in $(seq 1 100); do
  [[ -s "$TMP/ready.json" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log" >&2; die "server exited early"; }
  sleep 0.1
done
[[ -s "$TMP/ready.json" ]] || { cat "$TMP/server.log" >&2; die "server not ready"; }
echo "ready: $(cat "$TMP/ready.json")"
ISSUER="$(jget "$TMP/ready.json" j.issuer)"
REG="$(jget "$TMP/ready.json" j.registration_endpoint)"
TOKEN="$(jget "$TMP/ready.json" j.token_endpoint)"
MTLS1=(--cert "$TMP/client1.pem" --key "$TMP/client1.key")
MTLS2=(--cert "$TMP/client2.pem" --key "$TMP/client2.key")

# A software statement: any JWT is accepted (its contents are not checked).
SSA="$(sign_jwt signing.key PS256 '{"alg":"PS256","kid":"k1","typ":"JWT"}' \
  "{\"iss\":\"OpenBanking Ltd\",\"iat\":$(now),\"jti\":\"$(rnd)\",\"software_id\":\"dcrconsole-smoke\",\"org_id\":\"0015800001041RHAAY\",\"software_redirect_uris\":[\"https://127.0.0.1:8443/cb\"],\"software_jwks_endpoint\":\"https://127.0.0.1:8443/jwks.json\",\"software_roles\":[\"AISP\",\"PISP\"]}")"

# ------------------------------------------------------------ 1. register (application/jwt, tls_client_auth)
PAYLOAD1="$(cat <<EOF
{"iss":"dcrconsole-smoke","aud":"$ISSUER","iat":$(now),"exp":$(( $(now) + 300 )),"jti":"$(rnd)",
 "redirect_uris":["https://127.0.0.1:8443/cb"],
 "token_endpoint_auth_method":"tls_client_auth",
 "tls_client_auth_subject_dn":"$CLIENT1_DN",
 "tls_client_certificate_bound_access_tokens":true,
 "grant_types":["client_credentials"],
 "scope":"accounts payments",
 "software_id":"dcrconsole-smoke",
 "software_statement":"$SSA",
 "application_type":"web",
 "id_token_signed_response_alg":"PS256",
 "request_object_signing_alg":"PS256"}
EOF
)"
JWT1="$(sign_jwt signing.key PS256 '{"alg":"PS256","kid":"k1","typ":"JWT"}' "$PAYLOAD1")"
req reg1 -X POST "$REG" "${MTLS1[@]}" -H 'Content-Type: application/jwt' -H 'Accept: application/json' --data-binary "$JWT1" >/dev/null
check "1 register application/jwt (tls_client_auth) -> 201" reg1 201 \
  'j.client_id && j.registration_access_token && j.registration_client_uri && j.tls_client_auth_subject_dn && j.software_statement && j.jwks_uri && !j.iss && !j.jti && !j.client_secret'
CID1="$(jget "$TMP/reg1.body" j.client_id)"
RAT1="$(jget "$TMP/reg1.body" j.registration_access_token)"
RCU1="$(jget "$TMP/reg1.body" j.registration_client_uri)"

# 1b. typical OBIE full request: hybrid response type without "implicit"
PAYLOAD1B="$(cat <<EOF
{"iss":"dcrconsole-smoke","aud":"$ISSUER","iat":$(now),"exp":$(( $(now) + 300 )),"jti":"$(rnd)",
 "redirect_uris":["https://127.0.0.1:8443/cb"],
 "token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"$CLIENT1_DN",
 "grant_types":["authorization_code","refresh_token","client_credentials"],
 "response_types":["code id_token"],"scope":"openid accounts",
 "software_id":"dcrconsole-smoke","software_statement":"$SSA","application_type":"web",
 "id_token_signed_response_alg":"PS256","request_object_signing_alg":"PS256","subject_type":"public"}
EOF
)"
req reg1b -X POST "$REG" "${MTLS1[@]}" -H 'Content-Type: application/jwt' \
  --data-binary "$(sign_jwt signing.key PS256 '{"alg":"PS256","kid":"k1","typ":"JWT"}' "$PAYLOAD1B")" >/dev/null
check "1b register OBIE hybrid (code id_token, no implicit) -> 201" reg1b 201 'j.client_id && j.response_types[0]==="code id_token"'

# 1c. registration without a client certificate -> rejected by the peer
req reg1c -X POST "$REG" -H 'Content-Type: application/jwt' --data-binary "$JWT1" >/dev/null
check "1c register without client certificate -> 401" reg1c 401 'j.error==="invalid_client"'

# ------------------------------------------------------------ 2. read
req read1 "$RCU1" "${MTLS1[@]}" -H "Authorization: Bearer $RAT1" >/dev/null
check "2 GET registration_client_uri -> 200" read1 200 "j.client_id===\"$CID1\" && j.registration_access_token===\"$RAT1\""

# ------------------------------------------------------------ 3. client_credentials, tls_client_auth
req tok1 -X POST "$TOKEN" "${MTLS1[@]}" --data-urlencode "client_id=$CID1" \
  --data-urlencode grant_type=client_credentials --data-urlencode scope=accounts >/dev/null
check "3 client_credentials tls_client_auth -> 200" tok1 200 'j.access_token && j.token_type==="Bearer" && j.scope==="accounts"'

# ------------------------------------------------------------ 4. private_key_jwt client (application/json body)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out pkj.key 2>/dev/null || die "pkj key"
PKJ_JWK="$(node -e 'const c=require("crypto");const j=c.createPublicKey(require("fs").readFileSync(process.argv[1])).export({format:"jwk"});process.stdout.write(JSON.stringify({...j,kid:"pkj-1",use:"sig",alg:"PS256"}))' pkj.key)"
BODY2="{\"response_types\":[],\"redirect_uris\":[\"https://127.0.0.1:8443/cb\"],\"token_endpoint_auth_method\":\"private_key_jwt\",\"token_endpoint_auth_signing_alg\":\"PS256\",\"grant_types\":[\"client_credentials\"],\"scope\":\"accounts payments\",\"jwks\":{\"keys\":[$PKJ_JWK]},\"client_name\":\"smoke pkj\"}"
req reg2 -X POST "$REG" "${MTLS2[@]}" -H 'Content-Type: application/json' --data-binary "$BODY2" >/dev/null
check "4a register application/json (private_key_jwt, jwks) -> 201" reg2 201 'j.client_id && j.registration_access_token && j.jwks && !j.client_secret'
CID2="$(jget "$TMP/reg2.body" j.client_id)"
RAT2="$(jget "$TMP/reg2.body" j.registration_access_token)"
RCU2="$(jget "$TMP/reg2.body" j.registration_client_uri)"
ASSERTION="$(sign_jwt pkj.key PS256 '{"alg":"PS256","kid":"pkj-1","typ":"JWT"}' \
  "{\"iss\":\"$CID2\",\"sub\":\"$CID2\",\"aud\":\"$TOKEN\",\"jti\":\"$(rnd)\",\"iat\":$(now),\"exp\":$(( $(now) + 60 ))}")"
req tok2 -X POST "$TOKEN" "${MTLS2[@]}" --data-urlencode grant_type=client_credentials --data-urlencode scope=payments \
  --data-urlencode client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \
  --data-urlencode "client_assertion=$ASSERTION" >/dev/null
check "4b client_credentials private_key_jwt (PS256) -> 200" tok2 200 'j.access_token && j.scope==="payments"'
# replaying the same assertion (same jti) is refused
req tok2r -X POST "$TOKEN" "${MTLS2[@]}" --data-urlencode grant_type=client_credentials \
  --data-urlencode client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \
  --data-urlencode "client_assertion=$ASSERTION" >/dev/null
check "4c replayed client_assertion -> 401" tok2r 401 'j.error==="invalid_client"'

# ------------------------------------------------------------ 5. update (PUT)
PAYLOAD5="$(cat <<EOF
{"iss":"dcrconsole-smoke","aud":"$ISSUER","iat":$(now),"exp":$(( $(now) + 300 )),"jti":"$(rnd)",
 "redirect_uris":["https://127.0.0.1:8443/cb","https://localhost:8443/cb2"],
 "token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"$CLIENT1_DN",
 "grant_types":["client_credentials"],"scope":"accounts payments fundsconfirmations",
 "software_id":"dcrconsole-smoke","software_statement":"$SSA","client_name":"updated via jwt"}
EOF
)"
req upd1 -X PUT "$RCU1" "${MTLS1[@]}" -H "Authorization: Bearer $RAT1" -H 'Content-Type: application/jwt' \
  --data-binary "$(sign_jwt signing.key PS256 '{"alg":"PS256","kid":"k1","typ":"JWT"}' "$PAYLOAD5")" >/dev/null
check "5a PUT update application/jwt (no client_id in payload) -> 200" upd1 200 \
  "j.client_id===\"$CID1\" && j.client_name===\"updated via jwt\" && j.redirect_uris.length===2 && j.registration_access_token===\"$RAT1\""
BODY5B="{\"client_id\":\"$CID2\",\"response_types\":[],\"redirect_uris\":[\"https://127.0.0.1:8443/cb\"],\"token_endpoint_auth_method\":\"private_key_jwt\",\"token_endpoint_auth_signing_alg\":\"PS256\",\"grant_types\":[\"client_credentials\"],\"scope\":\"accounts\",\"jwks\":{\"keys\":[$PKJ_JWK]},\"client_name\":\"updated via json\"}"
req upd2 -X PUT "$RCU2" "${MTLS2[@]}" -H "Authorization: Bearer $RAT2" -H 'Content-Type: application/json' --data-binary "$BODY5B" >/dev/null
check "5b PUT update application/json -> 200" upd2 200 "j.client_name===\"updated via json\" && j.scope===\"accounts\""
# forbidden field in an update
req upd3 -X PUT "$RCU2" "${MTLS2[@]}" -H "Authorization: Bearer $RAT2" -H 'Content-Type: application/json' \
  --data-binary "{\"client_id\":\"$CID2\",\"registration_access_token\":\"$RAT2\",\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":{\"keys\":[$PKJ_JWK]}}" >/dev/null
check "5c PUT with registration_access_token in body -> 400" upd3 400 'j.error==="invalid_request"'

# ------------------------------------------------------------ 6./7. delete, then read
req del1 -X DELETE "$RCU1" "${MTLS1[@]}" -H "Authorization: Bearer $RAT1" >/dev/null
check "6 DELETE -> 204" del1 204
req read1d "$RCU1" "${MTLS1[@]}" -H "Authorization: Bearer $RAT1" >/dev/null
check "7 GET after DELETE -> 401" read1d 401 'j.error==="invalid_token"'
grep -qi '^www-authenticate: Bearer' "$TMP/read1d.hdr" \
  && { PASSED=$((PASSED + 1)); echo "PASS 7b WWW-Authenticate: Bearer on 401"; } \
  || { FAILED=$((FAILED + 1)); echo "FAIL 7b no WWW-Authenticate: Bearer header"; }
# token for the deleted client
req tok1d -X POST "$TOKEN" "${MTLS1[@]}" --data-urlencode "client_id=$CID1" --data-urlencode grant_type=client_credentials >/dev/null
check "7c token for deleted client -> 401" tok1d 401 'j.error==="invalid_client"'

# ------------------------------------------------------------ 8. invalid redirect_uri
BAD="$(sign_jwt signing.key PS256 '{"alg":"PS256","kid":"k1","typ":"JWT"}' \
  "{\"iss\":\"x\",\"aud\":\"$ISSUER\",\"iat\":$(now),\"exp\":$(( $(now) + 300 )),\"jti\":\"$(rnd)\",\"redirect_uris\":[\"https://127.0.0.1:8443/cb#frag\"],\"response_types\":[\"code\"],\"grant_types\":[\"authorization_code\",\"client_credentials\"],\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_subject_dn\":\"$CLIENT1_DN\"}")"
req reg8 -X POST "$REG" "${MTLS1[@]}" -H 'Content-Type: application/jwt' --data-binary "$BAD" >/dev/null
check "8a redirect_uri with fragment -> 400 invalid_redirect_uri" reg8 400 'j.error==="invalid_redirect_uri"'
req reg8b -X POST "$REG" "${MTLS1[@]}" -H 'Content-Type: application/json' \
  --data-binary '{"redirect_uris":["not a uri"],"response_types":["code"],"grant_types":["authorization_code"],"token_endpoint_auth_method":"client_secret_basic"}' >/dev/null
check "8b redirect_uri not a URI -> 400 invalid_redirect_uri" reg8b 400 'j.error==="invalid_redirect_uri"'
# plain http redirect URIs are NOT rejected by oidc-provider for web clients
req reg8c -X POST "$REG" "${MTLS1[@]}" -H 'Content-Type: application/json' \
  --data-binary '{"redirect_uris":["http://not-https.example/cb"],"response_types":["code"],"grant_types":["authorization_code"],"token_endpoint_auth_method":"client_secret_basic"}' >/dev/null
check "8c http:// redirect_uri (web client) -> 201 (accepted, with client_secret)" reg8c 201 'j.client_secret && j.client_secret_expires_at===0'
# other metadata errors
req reg8d -X POST "$REG" "${MTLS1[@]}" -H 'Content-Type: application/json' \
  --data-binary '{"response_types":[],"grant_types":["client_credentials"],"token_endpoint_auth_method":"tls_client_auth"}' >/dev/null
check "8d tls_client_auth without subject value -> 400 invalid_client_metadata" reg8d 400 'j.error==="invalid_client_metadata"'
req reg8e -X POST "$REG" "${MTLS1[@]}" -H 'Content-Type: application/jwt' --data-binary 'not-a-jwt' >/dev/null
check "8e malformed application/jwt body -> 400" reg8e 400 'j.error==="invalid_client_metadata"'
req reg8f -X POST "$REG" "${MTLS1[@]}" -H 'Content-Type: text/plain' --data-binary '{}' >/dev/null
check "8f unsupported content type -> 400 invalid_request" reg8f 400 'j.error==="invalid_request"'

# ------------------------------------------------------------ 9. tls_client_auth without / with bad certificate
# register a fresh tls_client_auth client (client 1 was deleted)
req reg9 -X POST "$REG" "${MTLS1[@]}" -H 'Content-Type: application/json' \
  --data-binary "{\"response_types\":[],\"token_endpoint_auth_method\":\"tls_client_auth\",\"tls_client_auth_subject_dn\":\"$CLIENT1_DN\",\"grant_types\":[\"client_credentials\"],\"scope\":\"accounts\"}" >/dev/null
check "9 register tls_client_auth client (application/json) -> 201" reg9 201 'j.client_id'
CID9="$(jget "$TMP/reg9.body" j.client_id)"
req tok9a -X POST "$TOKEN" --data-urlencode "client_id=$CID9" --data-urlencode grant_type=client_credentials >/dev/null
check "9a token without client certificate -> 401" tok9a 401 'j.error==="invalid_client"'
req tok9b -X POST "$TOKEN" --cert "$TMP/evil.pem" --key "$TMP/evil.key" --data-urlencode "client_id=$CID9" --data-urlencode grant_type=client_credentials >/dev/null
check "9b token with untrusted certificate (same DN) -> 401" tok9b 401 'j.error==="invalid_client"'
req tok9c -X POST "$TOKEN" "${MTLS2[@]}" --data-urlencode "client_id=$CID9" --data-urlencode grant_type=client_credentials >/dev/null
check "9c token with trusted certificate, wrong DN -> 401" tok9c 401 'j.error==="invalid_client"'
req tok9d -X POST "$TOKEN" "${MTLS1[@]}" --data-urlencode "client_id=$CID9" --data-urlencode grant_type=client_credentials --data-urlencode scope=payments >/dev/null
check "9d scope outside the registered scope -> 400 invalid_scope" tok9d 400 'j.error==="invalid_scope"'

echo "server log (stderr):"; sed 's/^/  | /' "$TMP/server.log"
echo "$PASSED passed, $FAILED failed"
[[ $FAILED == 0 ]]
