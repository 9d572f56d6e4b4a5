// Generated from packs/*.pack.yml by `pack gen`; do not edit.

/**
 * The pack definitions built into the extension (YAML text by pack name), so `pack run` and
 * `attack-layer` find the default pack outside a clone of the repository.
 */
export const EMBEDDED_PACKS: Readonly<Record<string, string>> = {
  'process-terminations': `# The process-terminations pack: the single source of truth for its queries. The osquery pack
# (process-terminations.conf) and the Fleet YAML under fleet/ are generated from this file:
#   npm run packs:gen      (or: process-terminations pack gen)
#   npm run packs:check    (fails when the generated files are stale; CI runs it)
# Every event query windows on ingest_time (when the extension read the event), never on event
# time: a window on event time would drop late-arriving events and everything in a replayed file.
# Name matching against the watchlist is case-insensitive: exact, prefix (Linux cuts comm to 15
# bytes) or contains (Windows service display names).
name: process-terminations
description: >-
  Process terminations that point at an attack: security and logging agents killed or crashing,
  mass process kills, protected services stopped, competing cryptominers removed, and required
  agents not running. Needs the process_terminations osquery extension.
discovery:
  - SELECT 1 FROM osquery_extensions WHERE name = 'process_terminations'

queries:
  - name: pt_security_agent_killed
    techniques: [T1562.001]
    platform: [linux, darwin]
    interval: 60
    value: Killing EDR, antivirus, audit or log shipping agents is a common first step before an intrusion's noisy part.
    description: >-
      A security or logging agent from the watchlist received a terminating signal (SIGKILL,
      SIGTERM, SIGINT, SIGQUIT, SIGABRT or SIGSTOP) from another process, and the call
      succeeded. A stop by the service manager is left out: when the actor is systemd, init,
      launchd or services.exe and a service_stop for a service named like the agent was read
      within 120 s, it is an orderly stop (systemctl stop, an upgrade), which the service stop
      query reports instead. False positives: an administrator's kill or pkill during
      troubleshooting, package scripts that kill the old daemon during an upgrade, and log
      rotation scripts sending SIGTERM instead of SIGHUP.
    sql: |
      SELECT t.time, t.ingest_time, t.eid, t.kind, t.pid, t.name, t.path, t.signal,
        t.signal_name, t.actor_pid, t.actor_name, t.actor_path, t.actor_uid, t.actor_auid,
        t.actor_user, t.source, w.category,
        k.technique_id, k.technique, k.tactic, k.v19_id
      FROM process_terminations AS t
      JOIN process_termination_watchlist AS w
        ON w.kind = 'process' AND w.category IN ('security_agent', 'logging_agent')
        AND ((w.match = 'exact' AND lower(t.name) = lower(w.name))
          OR (w.match = 'prefix' AND substr(lower(t.name), 1, length(w.name)) = lower(w.name))
          OR (w.match = 'contains' AND instr(lower(t.name), lower(w.name)) > 0))
      JOIN process_termination_techniques AS k ON k.technique_id = 'T1562.001'
      WHERE t.kind = 'signal'
        AND t.ingest_time >= (SELECT unix_time FROM time) - 600
        AND t.signal_name IN ('SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGABRT', 'SIGSTOP')
        AND COALESCE(t.success, 1) = 1
        AND (t.actor_pid IS NULL OR t.pid IS NULL OR t.actor_pid != t.pid)
        AND NOT (
          lower(COALESCE(t.actor_name, '')) IN ('systemd', 'init', 'launchd', 'services.exe')
          AND EXISTS (
            SELECT 1 FROM process_terminations AS s
            WHERE s.kind = 'service_stop'
              AND s.ingest_time BETWEEN t.ingest_time - 120 AND t.ingest_time + 120
              AND instr(lower(s.service), lower(t.name)) > 0))
      GROUP BY t.eid

  - name: pt_security_agent_crashed
    techniques: [T1562]
    platform: [linux, darwin, windows]
    interval: 60
    value: An agent that dies without an orderly stop leaves the host unwatched; tampering often looks like a crash.
    description: >-
      A security or logging agent from the watchlist crashed (core-dumping signal), was ended by
      a signal, or exited with a non-zero status, and no signal row from another process
      explains it (that case is pt_security_agent_killed). Tagged T1562 (Impair Defenses) since
      the cause is unknown. False positives: genuine agent bugs, out-of-memory kills, an agent
      exiting non-zero on a configuration error or during its own self-update, and hosts shutting
      down.
    sql: |
      SELECT t.time, t.ingest_time, t.eid, t.kind, t.pid, t.name, t.path, t.exit_code,
        t.signal, t.signal_name, t.actor_pid, t.actor_name, t.source, w.category,
        k.technique_id, k.technique, k.tactic, k.v19_id
      FROM process_terminations AS t
      JOIN process_termination_watchlist AS w
        ON w.kind = 'process' AND w.category IN ('security_agent', 'logging_agent')
        AND ((w.match = 'exact' AND lower(t.name) = lower(w.name))
          OR (w.match = 'prefix' AND substr(lower(t.name), 1, length(w.name)) = lower(w.name))
          OR (w.match = 'contains' AND instr(lower(t.name), lower(w.name)) > 0))
      JOIN process_termination_techniques AS k ON k.technique_id = 'T1562'
      WHERE t.ingest_time >= (SELECT unix_time FROM time) - 600
        AND (t.kind = 'crash'
          OR (t.kind = 'exit' AND (COALESCE(t.exit_code, 0) != 0 OR t.signal IS NOT NULL)))
        AND NOT EXISTS (
          SELECT 1 FROM process_terminations AS s
          WHERE s.kind = 'signal' AND s.pid = t.pid
            AND s.ingest_time BETWEEN t.ingest_time - 60 AND t.ingest_time + 60
            AND (s.actor_pid IS NULL OR s.actor_pid != s.pid))
      GROUP BY t.eid

  - name: pt_mass_process_kill
    techniques: [T1489]
    platform: [linux, darwin]
    interval: 60
    value: Ransomware and wipers end many processes at once to release files and silence defenders.
    description: >-
      One actor (same pid and executable) sent terminating signals to at least 10 distinct
      processes within 60 s of event time. Ten in a minute is far above what interactive use or
      ordinary supervisors do, yet well below the hundreds a ransomware kill list produces; tune
      it in the HAVING-like filter (targets >= 10). Recency uses ingest_time (the last 600 s
      read); the 60 s burst is measured between the events' own times so that a replayed file
      does not collapse hours into one minute. systemd, init and launchd are left out (they end
      whole sessions and cgroups at logout and shutdown). False positives: killall or pkill of a
      worker pool, test harnesses, container runtimes tearing down a container, and job
      schedulers cancelling jobs.
    sql: |
      WITH kills AS (
        SELECT * FROM process_terminations
        WHERE kind = 'signal'
          AND ingest_time >= (SELECT unix_time FROM time) - 600
          AND signal_name IN ('SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGABRT', 'SIGHUP')
          AND COALESCE(success, 1) = 1
          AND actor_pid IS NOT NULL AND pid IS NOT NULL AND actor_pid != pid
          AND lower(COALESCE(actor_name, '')) NOT IN ('systemd', 'init', 'launchd')
      ),
      bursts AS (
        SELECT a.actor_pid, a.actor_path, a.actor_name, a.actor_uid, a.actor_auid,
          a.time AS window_start, COUNT(DISTINCT b.pid) AS targets
        FROM kills AS a
        JOIN kills AS b
          ON b.actor_pid = a.actor_pid AND COALESCE(b.actor_path, '') = COALESCE(a.actor_path, '')
          AND b.time >= a.time AND b.time < a.time + 60
        GROUP BY a.eid
      )
      SELECT b.actor_pid, b.actor_path, b.actor_name, b.actor_uid, b.actor_auid,
        MIN(b.window_start) AS window_start, MAX(b.targets) AS targets,
        k.technique_id, k.technique, k.tactic, k.v19_id
      FROM bursts AS b
      JOIN process_termination_techniques AS k ON k.technique_id = 'T1489'
      WHERE b.targets >= 10
      GROUP BY b.actor_pid, b.actor_path

  - name: pt_watched_service_stopped
    techniques: [T1489, T1562.001]
    platform: [linux, windows]
    interval: 60
    value: Ransomware stops backup, shadow copy and database services before encrypting; intruders stop agent services.
    description: >-
      A service from the watchlist stopped (Windows System event 7036 "stopped", Linux audit
      SERVICE_STOP). Backup and database services map to T1489 (Service Stop); security and
      logging agent services to T1562.001. The actor is often unknown (7036 does not name who
      asked). False positives: patching and package upgrades restarting services, backup
      software stopping its own services between jobs, database maintenance windows and every
      service stopping at shutdown.
    sql: |
      SELECT t.time, t.ingest_time, t.eid, t.kind, t.service, t.actor_pid, t.actor_name,
        t.actor_path, t.actor_user, t.source, w.category,
        k.technique_id, k.technique, k.tactic, k.v19_id
      FROM process_terminations AS t
      JOIN process_termination_watchlist AS w
        ON w.kind = 'service'
        AND ((w.match = 'exact' AND lower(t.service) = lower(w.name))
          OR (w.match = 'prefix' AND substr(lower(t.service), 1, length(w.name)) = lower(w.name))
          OR (w.match = 'contains' AND instr(lower(t.service), lower(w.name)) > 0))
      JOIN process_termination_techniques AS k
        ON k.technique_id = CASE w.category WHEN 'backup_database' THEN 'T1489'
          WHEN 'miner' THEN 'T1668' ELSE 'T1562.001' END
      WHERE t.kind = 'service_stop'
        AND t.ingest_time >= (SELECT unix_time FROM time) - 600
      GROUP BY t.eid

  - name: pt_competing_miner_killed
    techniques: [T1668]
    platform: [linux, darwin]
    interval: 60
    value: Miner malware such as Kinsing kills rival miners it finds, so the kill itself reveals a second miner.
    description: >-
      A process named like a known cryptominer received a terminating signal from a process
      that is neither a miner itself (a miner restarting its own workers) nor a security agent
      from the watchlist (an EDR cleaning up the miner is good news). False positives: an
      administrator or cleanup script killing a miner by hand, and legitimate programs whose
      names start like a miner's.
    sql: |
      SELECT t.time, t.ingest_time, t.eid, t.kind, t.pid, t.name, t.path, t.signal,
        t.signal_name, t.actor_pid, t.actor_name, t.actor_path, t.actor_uid, t.actor_auid,
        t.source, w.category,
        k.technique_id, k.technique, k.tactic, k.v19_id
      FROM process_terminations AS t
      JOIN process_termination_watchlist AS w
        ON w.kind = 'process' AND w.category = 'miner'
        AND ((w.match = 'exact' AND lower(t.name) = lower(w.name))
          OR (w.match = 'prefix' AND substr(lower(t.name), 1, length(w.name)) = lower(w.name))
          OR (w.match = 'contains' AND instr(lower(t.name), lower(w.name)) > 0))
      JOIN process_termination_techniques AS k ON k.technique_id = 'T1668'
      WHERE t.kind = 'signal'
        AND t.ingest_time >= (SELECT unix_time FROM time) - 600
        AND t.signal_name IN ('SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGABRT', 'SIGSTOP')
        AND COALESCE(t.success, 1) = 1
        AND (t.actor_pid IS NULL OR t.pid IS NULL OR t.actor_pid != t.pid)
        AND NOT EXISTS (
          SELECT 1 FROM process_termination_watchlist AS a
          WHERE a.kind = 'process' AND a.category IN ('miner', 'security_agent')
            AND ((a.match = 'exact' AND lower(t.actor_name) = lower(a.name))
              OR (a.match = 'prefix' AND substr(lower(t.actor_name), 1, length(a.name)) = lower(a.name))
              OR (a.match = 'contains' AND instr(lower(t.actor_name), lower(a.name)) > 0)))
      GROUP BY t.eid

  - name: pt_required_agent_not_running_linux
    techniques: [T1562.001]
    platform: [linux]
    interval: 300
    value: Works from osquery's own processes table, so it still fires where no event source can run or the agent was stopped before the extension started.
    description: >-
      A security agent marked required for linux in the watchlist has no running process at all.
      No default is required except auditd on Linux (the extension's event source there); mark
      the agents your fleet must run with required in the watchlist configuration. False
      positives: hosts that legitimately lack the agent (new builds not yet enrolled, excluded
      servers), an agent restarting at the moment of the query, and processes renamed by a new
      agent version.
    policy:
      name: Required security agents are running (linux)
      description: Passes when every security agent marked required for linux in the process_termination_watchlist has a running process.
      resolution: Start the missing agent (see the pt_required_agent_not_running_linux report for which one), then find out what stopped it.
    sql: |
      SELECT w.name, w.category, w.platform, w.match,
        k.technique_id, k.technique, k.tactic, k.v19_id
      FROM process_termination_watchlist AS w
      JOIN process_termination_techniques AS k ON k.technique_id = 'T1562.001'
      WHERE w.kind = 'process' AND w.category = 'security_agent' AND w.required = 1
        AND w.platform IN ('linux', 'all')
        AND NOT EXISTS (
          SELECT 1 FROM processes AS p
          WHERE (w.match = 'exact' AND lower(p.name) = lower(w.name))
            OR (w.match = 'prefix' AND substr(lower(p.name), 1, length(w.name)) = lower(w.name))
            OR (w.match = 'contains' AND instr(lower(p.name), lower(w.name)) > 0))

  - name: pt_required_agent_not_running_windows
    techniques: [T1562.001]
    platform: [windows]
    interval: 300
    value: Works from osquery's own processes table, so it still fires where no event source can run or the agent was stopped before the extension started.
    description: >-
      A security agent marked required for windows in the watchlist has no running process at all.
      No default is required except auditd on Linux (the extension's event source there); mark
      the agents your fleet must run with required in the watchlist configuration. False
      positives: hosts that legitimately lack the agent (new builds not yet enrolled, excluded
      servers), an agent restarting at the moment of the query, and processes renamed by a new
      agent version.
    policy:
      name: Required security agents are running (windows)
      description: Passes when every security agent marked required for windows in the process_termination_watchlist has a running process.
      resolution: Start the missing agent (see the pt_required_agent_not_running_windows report for which one), then find out what stopped it.
    sql: |
      SELECT w.name, w.category, w.platform, w.match,
        k.technique_id, k.technique, k.tactic, k.v19_id
      FROM process_termination_watchlist AS w
      JOIN process_termination_techniques AS k ON k.technique_id = 'T1562.001'
      WHERE w.kind = 'process' AND w.category = 'security_agent' AND w.required = 1
        AND w.platform IN ('windows', 'all')
        AND NOT EXISTS (
          SELECT 1 FROM processes AS p
          WHERE (w.match = 'exact' AND lower(p.name) = lower(w.name))
            OR (w.match = 'prefix' AND substr(lower(p.name), 1, length(w.name)) = lower(w.name))
            OR (w.match = 'contains' AND instr(lower(p.name), lower(w.name)) > 0))

  - name: pt_required_agent_not_running_darwin
    techniques: [T1562.001]
    platform: [darwin]
    interval: 300
    value: Works from osquery's own processes table, so it still fires where no event source can run or the agent was stopped before the extension started.
    description: >-
      A security agent marked required for darwin in the watchlist has no running process at all.
      No default is required except auditd on Linux (the extension's event source there); mark
      the agents your fleet must run with required in the watchlist configuration. False
      positives: hosts that legitimately lack the agent (new builds not yet enrolled, excluded
      servers), an agent restarting at the moment of the query, and processes renamed by a new
      agent version.
    policy:
      name: Required security agents are running (darwin)
      description: Passes when every security agent marked required for darwin in the process_termination_watchlist has a running process.
      resolution: Start the missing agent (see the pt_required_agent_not_running_darwin report for which one), then find out what stopped it.
    sql: |
      SELECT w.name, w.category, w.platform, w.match,
        k.technique_id, k.technique, k.tactic, k.v19_id
      FROM process_termination_watchlist AS w
      JOIN process_termination_techniques AS k ON k.technique_id = 'T1562.001'
      WHERE w.kind = 'process' AND w.category = 'security_agent' AND w.required = 1
        AND w.platform IN ('darwin', 'all')
        AND NOT EXISTS (
          SELECT 1 FROM processes AS p
          WHERE (w.match = 'exact' AND lower(p.name) = lower(w.name))
            OR (w.match = 'prefix' AND substr(lower(p.name), 1, length(w.name)) = lower(w.name))
            OR (w.match = 'contains' AND instr(lower(p.name), lower(w.name)) > 0))
`,
};
