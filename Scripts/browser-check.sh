#!/usr/bin/env bash
# Starts Cadet on its demo data in a throw-away directory, runs the browser check against it, and
# stops it again. Needs chromium, chromium-driver and the selenium package (Scripts/install-deps.sh --ci).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${CADET_BROWSER_PORT:-8097}
data=$(mktemp -d)
export CADET_DATA_DIR="$data" CADET_BCRYPT_COST=${CADET_BCRYPT_COST:-10}
unset DATABASE_URL
swift build
.build/debug/cadet demo > "$data/demo.log" 2>&1
# A cohort of the future for the recruitment check to open a round in.
.build/debug/cadet cohort create --programme gwangju-ai --slug c9 --name "9기 (2027)" --capacity 30 \
  --starts 2027-03-02 --ends 2027-12-24 --target-hours 1300 > /dev/null
# And one for the admission test check.
.build/debug/cadet cohort create --programme gwangju-ai --slug c8 --name "8기 (2027)" --capacity 30 \
  --starts 2027-03-02 --ends 2027-12-24 --target-hours 1300 > /dev/null
# A session for class 1 of Gwangju's second cohort that is on now, for the training check. In
# the last half hour of the day in Seoul a session around now would be shorter than the 30
# minutes a session must last; the check then uses one at the next midnight, whose check-in is
# already open (30 minutes before its start) and not yet late.
read -r day starts ends < <(python3 -c 'import datetime, zoneinfo
now = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Seoul"))
midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
if now < midnight + datetime.timedelta(hours=23, minutes=30):
    day, start = now.date(), max(now - datetime.timedelta(minutes=5), midnight)
    end = min(now + datetime.timedelta(hours=3), midnight + datetime.timedelta(hours=23, minutes=59))
else:
    day = (now + datetime.timedelta(days=1)).date()
    start, end = midnight, midnight + datetime.timedelta(hours=3)
print(day.isoformat(), start.strftime("%H:%M"), end.strftime("%H:%M"))')
export CADET_CHECK_SESSION_MONTH=${day:0:7}
.build/debug/cadet session add --cohort gwangju-ai/c2 --class 1반 --course "사전" --day "$day" --starts "$starts" --ends "$ends" > /dev/null
.build/debug/cadet serve --port "$port" > "$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" > /dev/null && break
  sleep 0.2
done
export CADET_BASE_URL="http://127.0.0.1:$port"
status=0
python3 Tests/Browser/cohort_page_check.py || status=1
python3 Tests/Browser/recruitment_flow_check.py || status=1
python3 Tests/Browser/exam_flow_check.py || status=1
python3 Tests/Browser/training_check.py || status=1
python3 Tests/Browser/completion_check.py || status=1
python3 Tests/Browser/hackathon_check.py || status=1
python3 Tests/Browser/report_check.py || status=1
python3 Tests/Browser/projects_check.py || status=1
exit $status
