#!/usr/bin/env bash
# `make demo` (scripts/demo.sh BUILD_DIR): the whole system on loopback, set up from nothing in .demo/.
#
# Steps, in order (each fails with one clear line): ports free → fresh .demo/ → demo PKI (ecpa-sim pki init)
# → three cards as SoftHSM2 tokens behind the cardmod module (王小明 not bound, 陳美玲 bound, 林志豪 revoked)
# → the portal's ICSC client certificate registered → people imported, to-dos added → ecpa-sim serve,
# ecpa-agent, ecpa-portal started → 陳美玲's card bound through the real API (challenge → agent /sign →
# /api/auth/bind, exactly what the page does) → only 王小明's card left in a reader → the URL, people, PINs.
#
# The portal serves plain HTTP on 127.0.0.1 (`behind_proxy = true`): browsers treat http://127.0.0.1 as a
# secure context, so the __Host- cookie, the component's pop-up and direct fetches to http://localhost:61161
# all work without a throw-away certificate the browser would warn about. Production terminates TLS (the
# portal's own, or a proxy).
#
# Environment (tests use these; the defaults are what `make demo` wants):
#   DEMO_DIR          where everything lives (default .demo/, recreated every run)
#   DEMO_PORTAL_PORT  8443 · DEMO_SIM_PORT 8480 · DEMO_AGENT_PORT 61161 (what the pages call)
#   DEMO_SMTP_PORT    8425: ecpa-sim's SMTP sink, where the portal's mail (password-reset links) goes
#   DEMO_AGENT_ALLOW_PORTAL  1 (default): the portal's origin is on the agent's allowlist → the page signs by
#                     direct fetch and the PIN is typed in the agent's own window. 0: it is not → the page
#                     uses the pop-up protocol and the agent's pop-up asks once whether to allow the site.
#   DEMO_SMOKE=1      start everything, check each service answers, print, stop, exit 0.
# Ctrl-C or SIGTERM stops everything it started (and waits for it).
set -euo pipefail

build=${1:-build/release}
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
[[ $build == /* ]] || build="$repo/$build"
demo=${DEMO_DIR:-$repo/.demo}
portal_port=${DEMO_PORTAL_PORT:-8443}
sim_port=${DEMO_SIM_PORT:-8480}
agent_port=${DEMO_AGENT_PORT:-61161}
smtp_port=${DEMO_SMTP_PORT:-8425}
allow_portal=${DEMO_AGENT_ALLOW_PORTAL:-1}
smoke=${DEMO_SMOKE:-0}

sim_bin="$build/apps/sim/ecpa-sim"
agent_bin="$build/apps/agent/ecpa-agent"
portal_bin="$build/apps/portal/ecpa-portal"
cardmod="$build/apps/cardmod/libecpa_cardmod.so"
web_root="$repo/web/dist"
agent_web="$repo/apps/agent/web"

origin="http://127.0.0.1:$portal_port"
sim_url="http://127.0.0.1:$sim_port"
agent_url="http://127.0.0.1:$agent_port"

die() {
  echo "demo: $*" >&2
  exit 1
}

# The demo people: name|national ID|PIN|card (unbound, bound, revoked, none = in HR's file without a card)|
# title|e-mail|account (帳號密碼登入; empty: none)|agency.
people=(
  "王小明|A123456789|123456|unbound|科員|wang@example.gov.tw|wang.ming|A01"
  "陳美玲|B223456782|222333|bound|專員|chen@example.gov.tw||A01"
  "林志豪|F135792464|333444|revoked|科長|lin@example.gov.tw||A01"
  "張雅婷|E202468132||none|人事專員|chang@example.gov.tw|chang.yating|A01"
  "李建宏|H123456786||none|人事室主任|lee@example.gov.tw||376430000A"
)
# Every demo account's initial password (HR hands it out; it must be changed at the first login).
initial_password="Demo-Initial-2026"
# 機關憑證: the agency's card (GCA), its OID, and the officer it binds to at its first login.
agency_code=376430000A
agency_name=臺北市政府人事處
agency_oid=2.16.886.101.20003.20065
agency_pin=444555
agency_officer="李建宏|H123456786"

# --- checks before touching anything -------------------------------------------------------------------
for f in "$sim_bin" "$agent_bin" "$portal_bin"; do
  [[ -x $f ]] || die "$f is not built (run \`make demo\`, or \`cmake --build $build --target ecpa-sim ecpa-agent ecpa-portal ecpa_cardmod\`)"
done
[[ -f $cardmod ]] || die "$cardmod is not built"
[[ -f $web_root/index.html ]] || die "web/dist is not built (cd web && npm ci && npm run build)"
[[ -f /usr/lib/softhsm/libsofthsm2.so ]] || die "SoftHSM2 is missing (sudo apt-get install softhsm2, or make deps)"
for tool in curl jq openssl; do command -v "$tool" >/dev/null || die "$tool is missing (make deps)"; done

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for entry in "ecpa-portal:$portal_port:DEMO_PORTAL_PORT" "ecpa-sim:$sim_port:DEMO_SIM_PORT" "ecpa-agent:$agent_port:DEMO_AGENT_PORT" "ecpa-sim SMTP:$smtp_port:DEMO_SMTP_PORT"; do
  IFS=: read -r what port var <<<"$entry"
  if port_taken "$port"; then
    hint="or set $var"
    [[ $what == ecpa-agent ]] && hint="(is another ecpa-agent or the official component running?); the pages call the component on 61161"
    die "port $port (for $what) on 127.0.0.1 is already in use — stop what listens there (ss -ltnp 'sport = :$port') $hint"
  fi
done

# --- stopping: every process we start is remembered; Ctrl-C/SIGTERM/exit stop them all ------------------
pids=()
stopping=0
stop_all() {
  [[ $stopping == 1 ]] && return
  stopping=1
  trap - INT TERM
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
}
trap 'stop_all' EXIT
trap 'echo; echo "demo: stopping…"; stop_all; exit 0' INT TERM

# --- a fresh .demo/ ----------------------------------------------------------------------------------
# Only ever the demo's own folder: refuse anything that does not look like one we made.
if [[ -e $demo ]]; then
  [[ -d $demo && (-f $demo/.ecpa-demo || -z "$(ls -A "$demo")") ]] || die "$demo exists and is not a demo folder; remove it yourself"
  rm -rf "$demo"
fi
mkdir -p "$demo"/{logs,portal}
touch "$demo/.ecpa-demo"
chmod 700 "$demo"
sim_dir="$demo/sim"
export SOFTHSM2_CONF="$sim_dir/softhsm2.conf"
export ECPA_CARDMOD_STATE="$sim_dir/cards.json"

step() { printf '  %s … ' "$1"; }
ok() { echo "ok${1:+ ($1)}"; }
# Runs a setup command; on failure shows its output (the tool's own error line) and stops.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    echo "FAILED"
    echo "$out" | tail -5 | sed 's/^/    /' >&2
    die "$(basename "$1") ${2:-} ${3:-} failed"
  fi
  printf '%s' "$out"
}
field() { sed -n "s/^$1[:=] *//p" | head -1; }

echo "openecpa demo — setting up in $demo"

step "demo PKI (GRCA → MOICA/GCA/XCA, OCSP, CRL)"
quiet "$sim_bin" pki init --dir "$sim_dir" --base-url "$sim_url" --root-bits 2048 >/dev/null
ok

declare -A card_sn
for p in "${people[@]}"; do
  IFS='|' read -r name id pin state _ <<<"$p"
  [[ $state == none ]] && continue
  step "card for $name"
  out=$(quiet "$sim_bin" card issue --dir "$sim_dir" --kind citizen --name "$name" --id "$id" --pin "$pin")
  card_sn[$name]=$(field card_sn <<<"$out")
  [[ -n ${card_sn[$name]} ]] || die "ecpa-sim card issue printed no card_sn: $out"
  ok "${card_sn[$name]}"
done

step "agency card for $agency_name (GCA, OID $agency_oid)"
out=$(quiet "$sim_bin" card issue --dir "$sim_dir" --kind gca --name "$agency_name" --id "$agency_code" --agency-oid "$agency_oid" --pin "$agency_pin")
card_sn[$agency_name]=$(field card_sn <<<"$out")
[[ -n ${card_sn[$agency_name]} ]] || die "ecpa-sim card issue printed no card_sn: $out"
ok "${card_sn[$agency_name]}"

step "revoke 林志豪's card (keyCompromise)"
quiet "$sim_bin" card revoke --dir "$sim_dir" "${card_sn[林志豪]}" --reason keyCompromise >/dev/null
ok

step "the portal's ICSC client certificate"
quiet openssl req -x509 -newkey rsa:2048 -nodes -subj "/C=TW/O=openecpa demo/CN=portal relying party" \
  -keyout "$demo/portal/icsc-client.key" -out "$demo/portal/icsc-client.pem" -days 30 >/dev/null
chmod 600 "$demo/portal/icsc-client.key"
client_id=$(quiet "$sim_bin" icsc register-client --dir "$sim_dir" "$demo/portal/icsc-client.pem" | tail -1 | sed 's/^client_id: *//')
ok "$client_id"

cat >"$demo/portal/portal.toml" <<TOML
# Written by scripts/demo.sh: the portal against ecpa-sim, plain HTTP on loopback (see the script's header).
[portal]
listen = "127.0.0.1:$portal_port"
public_origin = "$origin"
behind_proxy = true
handler_threads = 4
web_root = "$web_root"

[database]
url = "sqlite://$demo/portal/portal.db"
id_key_file = "id.key"

[trust]
anchors = ["$sim_dir/ca/grca.pem"]
intermediates = ["$sim_dir/ca/moica.pem", "$sim_dir/ca/gca.pem"]

[trust.issuers.moica]
kind = "citizen"
certificate = "$sim_dir/ca/moica.pem"
ocsp_url = "$sim_url/ocsp/moica"

[trust.issuers.gca]
kind = "agency"
certificate = "$sim_dir/ca/gca.pem"
ocsp_url = "$sim_url/ocsp/gca"

[mail]
smtp_url = "smtp://127.0.0.1:$smtp_port"
from = "no-reply@ecpa-demo.example.gov.tw"

[icsc]
url = "$sim_url/icsc"
client_certificate = "icsc-client.pem"
client_key = "icsc-client.key"
timeout_seconds = 5

[log]
level = "info"
file = "$demo/logs/portal.log"
TOML
config="$demo/portal/portal.toml"

step "import the agencies and their units (HR's CSV)"
{
  echo "機關代碼,機關名稱,英文名稱,上級機關代碼"
  echo "A01,行政院人事行政總處,\"Directorate-General of Personnel Administration, Executive Yuan\","
  echo "A01-1,組編人力處,Department of Organization and Manpower,A01"
  echo "A01-2,給與福利處,Department of Compensation and Welfare,A01"
  echo "A01-3,人事室,Personnel Office,A01"
  echo "$agency_code,$agency_name,\"Department of Personnel, Taipei City Government\",,$agency_oid"
} >"$demo/portal/agencies.csv"
quiet "$portal_bin" admin import-agencies --config "$config" "$demo/portal/agencies.csv" >/dev/null
ok "2 agencies, 3 units"

step "import the people (HR's CSV)"
{
  echo "身分證字號,姓名,機關代碼,機關名稱,職稱,電子郵件,機關英文名稱,帳號"
  for p in "${people[@]}"; do
    IFS='|' read -r name id _ _ title mail account agency <<<"$p"
    if [[ $agency == A01 ]]; then
      echo "$id,$name,A01,行政院人事行政總處,$title,$mail,\"Directorate-General of Personnel Administration, Executive Yuan\",$account"
    else
      echo "$id,$name,$agency,$agency_name,$title,$mail,\"Department of Personnel, Taipei City Government\",$account"
    fi
  done
} >"$demo/portal/people.csv"
quiet "$portal_bin" admin import-people --config "$config" "$demo/portal/people.csv" >/dev/null
ok "${#people[@]} people"

step "initial passwords for the accounts (帳號密碼登入)"
accounts=()
for p in "${people[@]}"; do
  IFS='|' read -r _ _ _ _ _ _ account _ <<<"$p"
  [[ -n $account ]] || continue
  quiet "$portal_bin" admin set-password --config "$config" --account "$account" --password-stdin <<<"$initial_password" >/dev/null
  accounts+=("$account")
done
ok "${accounts[*]}"

step "the personnel officer of $agency_name (機關憑證 binds to them)"
IFS='|' read -r officer_name officer_id <<<"$agency_officer"
quiet "$portal_bin" admin set-agency-officer --config "$config" --agency "$agency_code" --national-id "$officer_id" >/dev/null
ok "$officer_name"

step "to-dos for today and tomorrow"
for todo in "A123456789|today|年度考績評定" "A123456789|today|簽核差勤申請" "A123456789|+1|填寫教育訓練問卷" \
  "B223456782|+1|更新個人履歷資料"; do
  IFS='|' read -r id date title <<<"$todo"
  quiet "$portal_bin" admin add-todo --config "$config" --national-id "$id" --date "$date" --title "$title" >/dev/null
done
ok

step "announcements (最新公告)"
printf '%s\n' "人事服務網示範環境已啟用。" "請以自然人憑證登入;第一次登入時請依畫面導引更新憑證(我要更新憑證)。" \
  >"$demo/portal/announcement-1.txt"
printf '%s\n' "本示範環境的資料每次啟動都會重新建立,請勿輸入真實個人資料。" >"$demo/portal/announcement-2.txt"
quiet "$portal_bin" admin add-announcement --config "$config" --title "歡迎使用人事服務網示範環境" \
  --body-file "$demo/portal/announcement-1.txt" --from today >/dev/null
quiet "$portal_bin" admin add-announcement --config "$config" --title "示範資料說明" \
  --body-file "$demo/portal/announcement-2.txt" --from today >/dev/null
ok "2 announcements"

# 下載專區 offers the agent this demo runs, packaged, with its checksum (web/dist/downloads/downloads.json).
step "the ecpa-agent package for 下載專區"
downloads="$web_root/downloads"
mkdir -p "$downloads" "$demo/package/ecpa-agent/bin" "$demo/package/ecpa-agent/share/ecpa-agent"
cp "$agent_bin" "$demo/package/ecpa-agent/bin/"
strip --strip-unneeded "$demo/package/ecpa-agent/bin/ecpa-agent" 2>/dev/null || true  # debug info stays in the build
cp -r "$agent_web" "$demo/package/ecpa-agent/share/ecpa-agent/web"
cp "$repo"/deploy/agent/* "$demo/package/ecpa-agent/"
agent_package="ecpa-agent-0.1.0-linux-$(uname -m).tar.gz"
# Byte for byte the same from the same build (fixed times, owners and order, no name or time in the gzip
# header), so demo instances sharing web/dist write the same file under the checksum they announce.
touch -d @0 -h $(find "$demo/package" -print)
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - -C "$demo/package" ecpa-agent |
  gzip -n >"$downloads/$agent_package.$$"
mv "$downloads/$agent_package.$$" "$downloads/$agent_package"
jq -n --arg file "$agent_package" --arg platform "Linux $(uname -m) (Debian 12)" \
  --arg sha "$(sha256sum "$downloads/$agent_package" | cut -d' ' -f1)" \
  --argjson size "$(stat -c %s "$downloads/$agent_package")" \
  '{packages: [{platform: $platform, file: $file, size: $size, sha256: $sha}]}' >"$downloads/downloads.json.$$"
mv "$downloads/downloads.json.$$" "$downloads/downloads.json"
ok "$agent_package"

# --- the services ------------------------------------------------------------------------------------
# Waits until URL answers (any HTTP status) or the process died; its log tail explains a failure.
wait_answers() {
  local what=$1 pid=$2 url=$3 log=$4
  shift 4
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "FAILED"
      tail -5 "$log" | sed 's/^/    /' >&2
      die "$what exited at start (log: $log)"
    fi
    if curl -s -o /dev/null --max-time 1 "$@" "$url"; then return 0; fi
    sleep 0.1
  done
  echo "FAILED"
  die "$what does not answer on $url after 10 s (log: $log)"
}

step "ecpa-sim serve on $sim_url"
"$sim_bin" serve --dir "$sim_dir" --listen "127.0.0.1:$sim_port" --smtp-port "$smtp_port" >"$demo/logs/sim.log" 2>&1 &
pids+=($!)
wait_answers ecpa-sim $! "$sim_url/" "$demo/logs/sim.log"
ok

# The agent's configuration: its allowlist holds the portal's origin unless the pop-up mode is wanted.
start_agent() {
  local allowed=$1
  {
    echo "[agent]"
    echo "module = \"$cardmod\""
    echo "listen = \"127.0.0.1:$agent_port\""
    if [[ $allowed == 1 ]]; then echo "allowed_origins = [\"$origin\"]"; else echo "allowed_origins = []"; fi
    echo "approvals_file = \"$demo/agent/approved-origins.txt\""
    echo "web_dir = \"$agent_web\""
    echo "log_file = \"$demo/logs/agent.log\""
  } >"$demo/agent/agent.toml"
  "$agent_bin" --config "$demo/agent/agent.toml" >>"$demo/logs/agent.out" 2>&1 &
  agent_pid=$!
  pids+=("$agent_pid")
  wait_answers ecpa-agent "$agent_pid" "$agent_url/pkcs11info" "$demo/logs/agent.out" -H "Host: localhost:$agent_port"
}
stop_agent() {
  kill -TERM "$agent_pid" 2>/dev/null || true
  wait "$agent_pid" 2>/dev/null || true
  local kept=()
  for pid in "${pids[@]}"; do [[ $pid == "$agent_pid" ]] || kept+=("$pid"); done
  pids=("${kept[@]}")
}
mkdir -p "$demo/agent"
: >"$demo/agent/approved-origins.txt"

step "ecpa-agent on $agent_url"
start_agent 1
ok

step "ecpa-portal on $origin"
"$portal_bin" serve --config "$config" >"$demo/logs/portal.out" 2>&1 &
pids+=($!)
wait_answers ecpa-portal $! "$origin/api/session" "$demo/logs/portal.out"
ok

# --- bind 陳美玲's card through the real API, as the page does in direct mode ------------------------------
sim_card() { quiet "$sim_bin" card "$1" --dir "$sim_dir" "$2" >/dev/null; }
only_card_in_reader() {
  local keep=$1 name
  for name in "${!card_sn[@]}"; do
    if [[ $name == "$keep" ]]; then sim_card insert "${card_sn[$name]}"; else sim_card remove "${card_sn[$name]}"; fi
  done
}
# A browser's request to the portal: its Origin, the session cookie, the CSRF token.
portal_api() {
  local method=$1 path=$2
  shift 2
  curl -sS --max-time 30 -X "$method" -H "Origin: $origin" -H "Content-Type: application/json" \
    -b "$demo/portal/cookies.txt" -c "$demo/portal/cookies.txt" "$@" "$origin$path"
}
bind_card() {
  local name=$1 id=$2 pin=$3 session csrf challenge package signed bound
  rm -f "$demo/portal/cookies.txt"
  # curl keeps Secure cookies only for https or localhost: hand the session cookie over explicitly.
  session=$(curl -sS -D - -o "$demo/portal/session.json" "$origin/api/session" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: *\(__Host-ecpa-session=[^;]*\).*/\1/p' | head -1)
  [[ -n $session ]] || die "the portal set no session cookie"
  csrf=$(jq -r .csrfToken "$demo/portal/session.json")
  challenge=$(portal_api POST /api/auth/challenge -H "Cookie: $session" -H "X-CSRF-Token: $csrf" \
    -d '{"purpose":"bind","route":"citizen"}')
  jq -e .tbs >/dev/null <<<"$challenge" || die "challenge refused: $challenge"
  package=$(jq -c --arg pin "$pin" '{func:"MakeSignature",signatureType:"PKCS7",tbs:.tbs,tbsEncoding:"NONE",
    hashAlgorithm:"SHA256",withCardSN:"true",nonce:.nonce,pin:$pin}' <<<"$challenge")
  # Sent as the agent's pop-up sends a package that carries the PIN (from the agent's own page, naming the
  # site it relays for): the agent refuses a PIN that a site's page sends it directly.
  signed=$(curl -sS --max-time 30 -H "Origin: http://localhost:$agent_port" -H "Host: localhost:$agent_port" \
    --data-urlencode "tbsPackage=$package" --data-urlencode "origin=$origin" "$agent_url/sign")
  [[ $(jq -r .ret_code <<<"$signed") == 0 ]] || die "the agent did not sign for $name: $(jq -c 'del(.signature,.certb64)' <<<"$signed")"
  bound=$(portal_api POST /api/auth/bind -H "Cookie: $session" -H "X-CSRF-Token: $csrf" \
    -d "$(jq -c --arg id "$id" '{route:"citizen",nationalId:$id,signature:.signature,certb64:.certb64,cardSN:.cardSN}' <<<"$signed")")
  [[ $(jq -r .bound <<<"$bound") == true ]] || die "binding $name's card failed: $bound"
}
step "bind 陳美玲's card (challenge → agent → bind)"
only_card_in_reader 陳美玲
bind_card 陳美玲 B223456782 222333
ok

if [[ $allow_portal != 1 ]]; then
  step "restart ecpa-agent without the portal on its allowlist"
  stop_agent
  start_agent 0
  ok
fi

step "王小明's card in the reader"
only_card_in_reader 王小明
ok

# --- what to do now ----------------------------------------------------------------------------------
cat >"$demo/use-card" <<SH
#!/usr/bin/env bash
# Puts one demo card in the reader and takes the others out: .demo/use-card 王小明|陳美玲|林志豪|臺北市政府人事處
set -euo pipefail
export SOFTHSM2_CONF="$SOFTHSM2_CONF" ECPA_CARDMOD_STATE="$ECPA_CARDMOD_STATE"
declare -A cards=($(for n in "${!card_sn[@]}"; do printf '[%s]=%s ' "$n" "${card_sn[$n]}"; done))
[[ -n \${cards[\${1:-}]:-} ]] || { echo "usage: \$0 ${!card_sn[*]}" >&2; exit 2; }
for n in "\${!cards[@]}"; do
  if [[ \$n == "\$1" ]]; then verb=insert; else verb=remove; fi
  "$sim_bin" card \$verb --dir "$sim_dir" "\${cards[\$n]}" >/dev/null
done
echo "\$1's card is in the reader"
SH
chmod +x "$demo/use-card"

mode_text="direct mode: the PIN is typed in ecpa-agent's own window"
[[ $allow_portal == 1 ]] || mode_text="pop-up mode: the PIN is typed on the page; the agent's pop-up asks once to allow the site"
cat <<TXT

openecpa demo is running (all on 127.0.0.1):
  portal     $origin/          ← open this in Chrome/Chromium/Firefox
  ecpa-agent $agent_url/selfTest.htm   ($mode_text)
  ecpa-sim   $sim_url/          (cards, OCSP, CRL, ICSC; the mail the portal sent: password-reset links)

  name     ID number   PIN     card
TXT
for p in "${people[@]}"; do
  IFS='|' read -r name id pin state _ <<<"$p"
  case $state in
    unbound) what="${card_sn[$name]} in the reader; not bound yet → 帳號資訊不存在 → 我要更新憑證" ;;
    bound) what="${card_sn[$name]} already bound → straight to the dashboard" ;;
    revoked) what="${card_sn[$name]} revoked → 您的憑證已被廢止或暫禁" ;;
    none) what="no card (in HR's file only)"; pin="-" ;;
  esac
  printf '  %s   %s  %-6s  %s\n' "$name" "$id" "$pin" "$what"
done
printf '  %s  %s  %-6s  %s\n' "$agency_name" "$agency_code" "$agency_pin" \
  "agency card (機關憑證) ${card_sn[$agency_name]}: first login asks the 機關代碼 → bound to $officer_name"
cat <<TXT

  帳號密碼登入  accounts: ${accounts[*]}   initial password: $initial_password
                (must be changed at the first login; 忘記密碼 mails go to ecpa-sim's page)

  Switch cards:  $demo/use-card 陳美玲      Logs: $demo/logs/
  Stop:          Ctrl-C (or kill -TERM $$)
TXT
echo "DEMO_READY origin=$origin agent=$agent_url sim=$sim_url dir=$demo mail=$sim_url/mail/messages"

if [[ $smoke == 1 ]]; then
  echo "demo: smoke run — every service answered; stopping"
  stop_all
  exit 0
fi
# Wait for Ctrl-C/SIGTERM; a service that dies on its own ends the demo too, said plainly.
while :; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "demo: a service (pid $pid) stopped on its own; see $demo/logs/" >&2
      stop_all
      exit 1
    fi
  done
  sleep 1 &
  wait $! || true
done
