#!/usr/bin/env python3
"""Concurrent runners (issue 5, item 2).

Starts --runners `manage migratealltenants` processes together over the same
tenants (PostgreSQL schema tenants or MariaDB database tenants with
--lock-wait 60000, or SQLite database tenants) and checks that:
  - every migration was applied exactly once per tenant: the runs' outputs
    together report tenants x migrations applications, one per (tenant,
    migration), and every history holds each migration once;
  - no output mentions a duplicate object or any failure;
  - every process's exit status matches its own summary (0 when all its
    tenants were migrated or up to date, 1 when it reports a skipped or
    failed tenant);
  - every tenant's objects are exactly what its history says.
The runners use --format json, text and log in turn, so all three are parsed.

  concurrent.py --manage build/examples/manage --backend postgresql             # short: 8 x 50 tenants
  concurrent.py --manage build/examples/manage --backend postgresql --long      # long: 8 x 200 tenants
  concurrent.py --manage build/examples/manage --backend mariadb --tenants 20  # database tenants
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

FORMATS = ["json", "text", "log"]
DUPLICATE_WORDS = re.compile(r"already exists|duplicate key|UNIQUE constraint|unique_violation|23505", re.I)


def parse(fmt, output):
    """(applied [(tenant, migration)], by_other_run count, {tenant: outcome}, failures [lines])."""
    applied, others, outcomes, failures = [], 0, {}, []
    if fmt == "json":
        for line in output.splitlines():
            if not line.startswith("{"):
                failures.append(line)
                continue
            e = json.loads(line)
            if e["event"] == "migration_applied":
                if e["by_other_run"]:
                    others += 1
                else:
                    applied.append((e["tenant"], e["migration"]))
            elif e["event"] == "migration_failed":
                failures.append(line)
            elif e["event"] == "tenant_finished":
                outcomes[e["tenant"]] = e["outcome"]
    elif fmt == "log":
        for line in output.splitlines():
            m = re.match(r"^\S+ (\w+) +(\w+) (.*)$", line)
            if not m:
                failures.append(line)
                continue
            level, event, fields = m.groups()
            kv = dict(re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', fields))
            if level == "ERROR" or event == "migration_failed":
                failures.append(line)
            if event == "migration_applied":
                if kv.get("by_other_run") == "true":
                    others += 1
                else:
                    applied.append((kv["tenant"], kv["migration"]))
            elif event == "tenant_finished":
                outcomes[kv["tenant"]] = kv["outcome"]
    else:
        tenant, in_summary = None, False
        words = {"migrated successfully": "migrated", "up to date": "up_to_date", "FAILED": "failed",
                 "skipped": "skipped", "interrupted": "interrupted"}
        for line in output.splitlines():
            if line.startswith("Migrating tenant: "):
                tenant = line[len("Migrating tenant: "):]
            elif line == "Migration Summary:":
                in_summary = True
            elif in_summary and re.match(r"^  ✓ [\d,]+ up to date$", line):
                # A run over more than 20 tenants counts its up-to-date tenants
                # instead of naming them: they are the ones it does not name.
                for n in range(int(line.split()[1].replace(",", ""))):
                    outcomes["(up to date %d)" % n] = "up_to_date"
            elif in_summary:
                m = re.match(r"^  (?:✓|✗ ERROR|!) (\S+) - (migrated successfully|up to date|FAILED|skipped|interrupted)",
                             line)
                if m:
                    outcomes[m.group(1)] = words[m.group(2)]
            else:
                m = re.match(r"^  (\S+\.sql) \.\.\. (.*)$", line)
                if m:
                    if m.group(2) == "OK":
                        applied.append((tenant, m.group(1)))
                    elif m.group(2).startswith("SKIPPED (applied by another run)"):
                        others += 1
                    else:
                        failures.append(line)
                elif "FAILED" in line or "ERROR" in line:
                    failures.append(line)
    return applied, others, outcomes, failures


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manage", required=True)
    ap.add_argument("--backend", choices=common.BACKENDS, required=True)
    ap.add_argument("--runners", type=int, default=8)
    ap.add_argument("--tenants", type=int, default=50)
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--long", action="store_true", help="the long form: 200 tenants")
    a = ap.parse_args()
    common.skip_without_mariadb(a.backend)
    if a.long:
        a.tenants = max(a.tenants, 200)
    started = time.time()
    env = common.make_env(a.backend, a.manage, a.tenants, a.rows, prefix="tm_rel_conc")
    setup_time = time.time() - started
    outdir = tempfile.mkdtemp(prefix="tm_rel_conc_out_")
    problems = []
    try:
        procs = []
        t0 = time.time()
        for i in range(a.runners):
            fmt = FORMATS[i % len(FORMATS)]
            out = open(os.path.join(outdir, "runner%d.out" % i), "w")
            err = open(os.path.join(outdir, "runner%d.err" % i), "w")
            cmd = [a.manage, "migratealltenants"] + env.run_args() + ["--lock-wait", "60000", "--format", fmt]
            procs.append((i, fmt, subprocess.Popen(cmd, stdout=out, stderr=err), out, err))
        for i, fmt, p, out, err in procs:
            p.wait(timeout=900)
            out.close()
            err.close()
        wall = time.time() - t0

        migrations = [m["key"] + ".sql" for m in env.migrations]
        count = collections.Counter()
        others_total = 0
        exits = []
        per_runner = []
        for i, fmt, p, _, _ in procs:
            with open(os.path.join(outdir, "runner%d.out" % i), encoding="utf-8", errors="replace") as f:
                output = f.read()
            with open(os.path.join(outdir, "runner%d.err" % i), encoding="utf-8", errors="replace") as f:
                errors = f.read()
            problems += common.assert_no_secret(output + errors, "runner %d (%s)" % (i, fmt))
            applied, others, outcomes, failures = parse(fmt, output)
            count.update(applied)
            others_total += others
            exits.append(p.returncode)
            if errors.strip():
                problems.append("runner %d (%s) wrote to stderr: %s" % (i, fmt, errors.strip()[:500]))
            for line in failures:
                problems.append("runner %d (%s) reports a failure: %s" % (i, fmt, line[:300]))
            for line in (output + errors).splitlines():
                if DUPLICATE_WORDS.search(line):
                    problems.append("runner %d (%s) mentions a duplicate: %s" % (i, fmt, line[:300]))
            if len(outcomes) != a.tenants:
                problems.append("runner %d (%s) summary covers %d of %d tenants" % (i, fmt, len(outcomes), a.tenants))
            ok = all(o in ("migrated", "up_to_date") for o in outcomes.values()) and len(outcomes) == a.tenants
            want = 0 if ok else 1
            if p.returncode != want:
                problems.append("runner %d (%s) exited %d but its summary calls for %d" % (i, fmt, p.returncode, want))
            c = collections.Counter(outcomes.values())
            per_runner.append("%d:%s exit %d (%s)" % (i, fmt, p.returncode,
                                                       ", ".join("%d %s" % (n, o) for o, n in sorted(c.items()))))

        for t in env.tenants:
            for m in migrations:
                if count[(t, m)] != 1:
                    problems.append("%s %s applied %d times" % (t, m, count[(t, m)]))
        states = env.state()
        history_rows = sum(len(s[0]) for s in states.values())
        duplicates = sum(len(s[0]) - len(set(s[0])) for s in states.values())
        expected = a.tenants * len(migrations)
        if history_rows != expected:
            problems.append("%d history rows, expected %d" % (history_rows, expected))
        bad, complete, _ = common.check_states(states, env.migrations, env.rows, env.strict)
        problems += bad
        if complete != a.tenants:
            problems.append("%d of %d tenants complete" % (complete, a.tenants))
        if any(e != 0 for e in exits):
            problems.append("not every runner exited 0 (with --lock-wait 60000 none should skip): %s" % exits)

        for pr in problems[:50]:
            print("VIOLATION: " + pr)
        if len(problems) > 50:
            print("... and %d more" % (len(problems) - 50))
        print("runners: " + "; ".join(per_runner))
        print("concurrent-runners [%s]: %d runners x %d tenants x %d migrations: %d applications reported "
              "(expected %d), %d skipped as applied by another run, %d history rows (expected %d), %d duplicate "
              "rows, %d tenants complete; exit statuses %s; %d violations; runs %.1fs (setup %.1fs)"
              % (a.backend, a.runners, a.tenants, len(migrations), sum(count.values()), expected, others_total,
                 history_rows, expected, duplicates, complete, sorted(collections.Counter(exits).items()),
                 len(problems), wall, setup_time))
        return 0 if not problems else 1
    finally:
        env.close()
        for f in os.listdir(outdir):
            os.remove(os.path.join(outdir, f))
        os.rmdir(outdir)


if __name__ == "__main__":
    sys.exit(main())
