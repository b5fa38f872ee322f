#!/usr/bin/env python3
"""Interrupts (issue 5, item 3).

Sends SIGINT or SIGTERM to `manage migratealltenants` while the second
tenant's slow migration (core/0002_events: a bulk insert) is in flight, and
checks: the exit status (130 / 143); the summary so far is printed (text:
"Migration Summary:" and "Interrupted by SIG..."; json: the run_finished event
with its signal; log: the run_finished line with signal=N); the first tenant
is migrated, the second interrupted with its migration in flight cancelled and rolled back
(not recorded, none of its objects there), the third not started; every
tenant is consistent; a rerun finishes the job (exit 0). Also a second
signal, which stops at once (status 128 + signal): every tenant must still be
consistent and a rerun must finish.

  interrupts.py --manage build/examples/manage --backend sqlite
  interrupts.py --manage build/examples/manage --backend postgresql   # needs TENANT_MIGRATOR_TEST_PG
  interrupts.py --manage build/examples/manage --backend mariadb      # needs TENANT_MIGRATOR_TEST_MARIADB

On MariaDB the signal is sent once the server runs the slow migration's bulk
insert (its second statement); that statement is stopped (KILL QUERY) and
rolled back, but the CREATE TABLE before it stays, recorded as statement 1 of
3 (DDL is not transactional, so the migration runs one statement at a time):
the checks there are common.py's non-strict ones.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

SCENARIOS = [
    # (name, signals to send, format, expected exit)
    ("SIGINT, text", [signal.SIGINT], "text", 130),
    ("SIGTERM, text", [signal.SIGTERM], "text", 143),
    ("SIGINT, json", [signal.SIGINT], "json", 130),
    ("SIGTERM, log", [signal.SIGTERM], "log", 143),
    ("SIGINT twice (stop at once)", [signal.SIGINT, signal.SIGINT], "text", 130),
    ("SIGTERM twice (stop at once)", [signal.SIGTERM, signal.SIGTERM], "json", 143),
]
SLOW = "core/0002_events.sql"


def in_flight(fmt, output):
    """True when the second tenant's slow migration has started and not finished."""
    if fmt == "text":
        return "Migrating tenant: t001\n" in output and output.endswith("  %s ... " % SLOW)
    lines = output.splitlines()
    if not lines or not output.endswith("\n"):
        return False
    last = lines[-1]
    if fmt == "json":
        try:
            e = json.loads(last)
        except ValueError:
            return False
        return e.get("event") == "migration_started" and e.get("tenant") == "t001" and e.get("migration") == SLOW
    return "migration_started tenant=t001 migration=%s" % SLOW in last


def summary_problems(fmt, output, sig, double, migrations, backend):
    """What the printed summary lacks."""
    problems = []
    name = "SIGINT" if sig == signal.SIGINT else "SIGTERM"
    if double:
        return problems  # stops at once: no summary promised
    if fmt == "text":
        # On MariaDB the slow migration runs one statement at a time (its DDL
        # commits on its own): the stopped statement is named, not rolled back.
        in_flight = ("%s: statement 2 of 3 was cancelled (%s); statement 1 is applied" % (SLOW, name)
                     if backend == "mariadb" else "%s was rolled back (%s)" % (SLOW, name))
        for want in ["Migration Summary:", "  ✓ t000 - migrated successfully (%d applied)" % migrations, "  ✗ ERROR t001 - interrupted",
                     "  1 not processed (interrupted)",
                     "Interrupted by %s: the migration in flight was stopped (its error says what stays). Rerun to finish." % name,
                     "✗ ERROR Tenant 't001' interrupted: " + in_flight]:
            if want not in output:
                problems.append("output lacks %r" % want)
    elif fmt == "json":
        finished = [json.loads(l) for l in output.splitlines() if '"run_finished"' in l]
        if not finished:
            problems.append("no run_finished event")
        else:
            f = finished[-1]
            # Each tenant's outcome is on its tenant_finished line (run_finished has counts).
            events = [json.loads(l) for l in output.splitlines() if l.startswith("{")]
            outcomes = {e["tenant"]: e["outcome"] for e in events if e["event"] == "tenant_finished"}
            if f["signal"] != sig or f["not_processed"] != 1 or outcomes != {"t000": "migrated", "t001": "interrupted"}:
                problems.append("run_finished is %s, outcomes %s" % (json.dumps(f), outcomes))
    else:
        finished = [l for l in output.splitlines() if " run_finished " in l]
        if not finished or "signal=%d" % sig not in finished[-1] or "not_processed=1" not in finished[-1]:
            problems.append("no run_finished line with signal=%d and not_processed=1: %s" % (sig, finished))
        if "tenant_finished tenant=t001 outcome=interrupted" not in output:
            problems.append("no tenant_finished line for t001 with outcome=interrupted")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manage", required=True)
    ap.add_argument("--backend", choices=common.BACKENDS, required=True)
    ap.add_argument("--rows", type=int, default=0)
    a = ap.parse_args()
    common.skip_without_mariadb(a.backend)
    rows = a.rows or {"sqlite": 150000, "postgresql": 50000, "mariadb": 60000}[a.backend]
    env = common.make_env(a.backend, a.manage, 3, rows, prefix="tm_rel_intr")
    out_path = os.path.join(tempfile.mkdtemp(prefix="tm_rel_intr_out_"), "run.out")
    problems = []
    passed = 0
    try:
        for name, signals, fmt, want in SCENARIOS:
            env.reset()
            mine = []
            cmd = [a.manage, "migratealltenants"] + env.run_args() + ["--format", fmt]
            with open(out_path, "w") as out:
                p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
                deadline = time.time() + 60
                seen = False
                while time.time() < deadline and p.poll() is None:
                    with open(out_path, encoding="utf-8", errors="replace") as f:
                        if in_flight(fmt, f.read()) and (a.backend != "mariadb" or env.running(
                                "t001", "INSERT IGNORE INTO events")):
                            seen = True
                            break
                    time.sleep(0.005)
                if not seen:
                    mine.append("the slow migration of t001 was never seen in flight")
                signalled = time.time()
                for s in signals:
                    os.kill(p.pid, s)
                    time.sleep(0.02)
                try:
                    p.wait(timeout=120)
                    latency = time.time() - signalled
                except subprocess.TimeoutExpired:
                    latency = float("nan")
                    p.kill()
                    p.wait()
                    mine.append("did not stop within 120 s of the signal")
            with open(out_path, encoding="utf-8", errors="replace") as f:
                output = f.read()
            if p.returncode != want:
                mine.append("exit %d, expected %d" % (p.returncode, want))
            mine += summary_problems(fmt, output, signals[0], len(signals) > 1, len(env.migrations), a.backend)
            mine += common.assert_no_secret(output, name)
            if a.backend != "sqlite":
                env.wait_for_orphans()
            states = env.state()
            bad, _, _ = common.check_states(states, env.migrations, env.rows, env.strict)
            mine += bad
            recorded = {t: s[0] for t, s in states.items()}
            in_flight_fate = "recorded" if "core/0002_events" in recorded["t001"] else "rolled back"
            if len(recorded["t000"]) != len(env.migrations):
                mine.append("t000 has %d of %d migrations" % (len(recorded["t000"]), len(env.migrations)))
            if recorded["t001"] != ["core/0001_initial"]:
                mine.append("t001 history is %s, expected only core/0001_initial" % recorded["t001"])
            if recorded["t002"]:
                mine.append("t002 was started: %s" % recorded["t002"])
            # A rerun finishes the job.
            r = common.run([a.manage, "migratealltenants"] + env.run_args(), check=False)
            mine += common.assert_no_secret(r.stdout + r.stderr, name + " rerun")
            bad, complete, _ = env.check_all()
            mine += ["after the rerun: " + b for b in bad]
            if r.returncode != 0 or complete != 3:
                mine.append("rerun exited %d with %d/3 tenants complete:\n%s%s" % (r.returncode, complete, r.stdout,
                                                                                 r.stderr))
            status = "ok  " if not mine else "FAIL"
            print("%s - %s: exit %d (expected %d) %.2fs after the signal, in-flight %s %s, rerun exit %d"
                  % (status, name, p.returncode, want, latency, SLOW, in_flight_fate, r.returncode))
            for m in mine:
                print("    " + m)
            if mine:
                print("    output:\n" + "\n".join("      " + l for l in output.splitlines()[-30:]))
            problems += mine
            passed += not mine
        print("interrupts [%s]: %d scenarios, %d passed, %d failed" % (a.backend, len(SCENARIOS), passed,
                                                                       len(SCENARIOS) - passed))
        return 0 if not problems else 1
    finally:
        env.close()
        try:
            os.remove(out_path)
            os.rmdir(os.path.dirname(out_path))
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(main())
