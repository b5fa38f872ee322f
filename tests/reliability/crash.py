#!/usr/bin/env python3
"""Crash at any instant (issue 5, item 1).

Starts `manage migratealltenants` over N tenants, SIGKILLs it after a random
delay, and after every kill checks EVERY tenant: each migration its history
records is fully there (objects and data), and no migration's objects exist
without its history row. Repeats until --kills kills have landed on a running
process, then a normal rerun must finish every tenant (exit 0).

  crash.py --manage build/examples/manage --backend sqlite            # short form (CTest): 20 kills
  crash.py --manage build/examples/manage --backend postgresql --long # long form: 120 kills
  crash.py --manage build/examples/manage --backend mariadb --kills 12

PostgreSQL needs TENANT_MIGRATOR_TEST_PG, MariaDB TENANT_MIGRATOR_TEST_MARIADB
(scripts/test.sh exports both; without the latter the MariaDB leg is skipped).
On MariaDB, whose DDL is not transactional, "fully there" is checked for
recorded migrations only: a migration killed half-way may have left some
objects (common.py's docstring), and the rerun must complete it.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--manage", required=True)
    ap.add_argument("--backend", choices=common.BACKENDS, required=True)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--tenants", type=int, default=6)
    ap.add_argument("--rows", type=int, default=0, help="rows of the slow inserts (default: per backend)")
    ap.add_argument("--long", action="store_true", help="the long form: 120 kills over 10 tenants")
    ap.add_argument("--seed", type=int, default=None)
    a = ap.parse_args()
    common.skip_without_mariadb(a.backend)
    if a.long:
        a.kills, a.tenants = max(a.kills, 120), max(a.tenants, 10)
    rows = a.rows or {"sqlite": 120000, "postgresql": 40000, "mariadb": 20000}[a.backend]
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    started = time.time()

    env = common.make_env(a.backend, a.manage, a.tenants, rows, prefix="tm_rel_crash")
    out_path = os.path.join(tempfile.mkdtemp(prefix="tm_rel_crash_out_"), "run.out")
    cmd = [a.manage, "migratealltenants"] + env.run_args() + ["--lock-wait", "60000"]
    problems = []
    try:
        # Calibration: one whole run from empty tenants, to know how long a run lasts.
        t0 = time.time()
        p = common.run(cmd, check=False)
        full = time.time() - t0
        problems += common.assert_no_secret(p.stdout + p.stderr, "the calibration run")
        if p.returncode != 0:
            problems.append("calibration run exited %d:\n%s%s" % (p.returncode, p.stdout, p.stderr))
        bad, complete, recorded_total = env.check_all()
        problems += bad
        if complete != a.tenants:
            problems.append("calibration run completed %d of %d tenants" % (complete, a.tenants))
        # The checker's self-test: two planted faults must be seen.
        env.plant_faults()
        planted, _, _ = env.check_all()
        if len(planted) < 2:
            problems.append("the checker missed planted faults: %s" % planted)
        env.reset()
        total_steps = a.tenants * len(env.migrations)
        done_steps = 0

        kills = mid_migration = finished_before_kill = checks = orphans = 0
        while kills < a.kills:
            # Aim the kill inside what is left of the work.
            remaining = full * (1 - done_steps / total_steps)
            delay = rng.uniform(0, remaining + 0.02)
            with open(out_path, "w") as out:
                proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
                time.sleep(delay)
                if proc.poll() is None:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait()
                    kills += 1
                    landed = True
                else:
                    finished_before_kill += 1
                    landed = False
            with open(out_path, encoding="utf-8", errors="replace") as f:
                output = f.read()
            problems += common.assert_no_secret(output, "a killed run")
            if landed:
                last = output.split("\n")[-1]
                mid_migration += last.endswith(" ... ")
            elif proc.returncode != 0:
                problems.append("a run that was not killed exited %d:\n%s" % (proc.returncode, output))
            if a.backend != "sqlite":
                orphans += env.wait_for_orphans() > 0
            bad, complete, recorded_total = env.check_all()
            checks += a.tenants
            for b in bad:
                problems.append("after kill %d (%.3fs): %s" % (kills, delay, b))
            done_steps = recorded_total
            if complete == a.tenants:
                env.reset()
                done_steps = 0

        # A normal rerun finishes the job.
        p = common.run(cmd, check=False)
        problems += common.assert_no_secret(p.stdout + p.stderr, "the final rerun")
        bad, complete, recorded_total = env.check_all()
        checks += a.tenants
        problems += ["after the final rerun: " + b for b in bad]
        if p.returncode != 0:
            problems.append("final rerun exited %d:\n%s%s" % (p.returncode, p.stdout, p.stderr))
        if complete != a.tenants:
            problems.append("final rerun completed %d of %d tenants" % (complete, a.tenants))

        for pr in problems:
            print("VIOLATION: " + pr)
        violations = len(problems)
        print("crash-at-any-instant [%s] seed=%d: %d kills (%d mid-migration%s), %d runs finished before "
              "their kill, %d tenant checks, %d violations; final rerun exit %d, %d/%d tenants complete; "
              "%d migrations x %d tenants, full run %.2fs, checker self-test saw %d planted violations; %.0fs in all"
              % (a.backend, seed, kills, mid_migration,
                 ", %d left a server session to end" % orphans if a.backend != "sqlite" else "",
                 finished_before_kill, checks, violations, p.returncode, complete, a.tenants,
                 len(env.migrations), a.tenants, full, len(planted), time.time() - started))
        return 0 if violations == 0 else 1
    finally:
        env.close()
        try:
            os.remove(out_path)
            os.rmdir(os.path.dirname(out_path))
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(main())
