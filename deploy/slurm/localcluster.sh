# localcluster.sh: a one-node Slurm cluster on localhost for tests, kept in
# one directory (configuration, state, logs, munge socket), so it touches no
# system Slurm or munge set-up. Source it, then:
#
#   cluster_install         # apt-get slurm-wlm and munge when missing (root)
#   cluster_start DIR       # munged, slurmctld, slurmd; exports SLURM_CONF
#   cluster_stop            # stops the three daemons it started (by pid)
#
# Only the daemons started here are stopped, by the pids they were given.

cluster_log() { echo "localcluster: $*" >&2; }

cluster_install() {
	if command -v slurmctld >/dev/null && command -v slurmd >/dev/null &&
		command -v sbatch >/dev/null && command -v munged >/dev/null; then
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		cluster_log "Slurm or munge is missing and installing them needs root: apt-get install slurm-wlm munge"
		return 1
	fi
	cluster_log "installing slurm-wlm and munge (apt-get)"
	# Wait for another apt or dpkg run rather than failing on its lock.
	apt-get -o DPkg::Lock::Timeout=900 update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq slurm-wlm munge >/dev/null
}

# cluster_free_port prints the first port from $1 on that nothing listens on.
cluster_free_port() {
	local p=$1
	while (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; do p=$((p + 1)); done
	echo $p
}

cluster_start() {
	CLUSTER_DIR=$1
	mkdir -p "$CLUSTER_DIR"/{state,spool,munge,log}
	chmod 700 "$CLUSTER_DIR/munge"
	local key=$CLUSTER_DIR/munge/munge.key sock=$CLUSTER_DIR/munge/munge.socket
	# A fresh key: credentials of this cluster are valid only here.
	dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
	chmod 400 "$key"
	munged --force --socket="$sock" --key-file="$key" --pid-file="$CLUSTER_DIR/munge/munged.pid" \
		--log-file="$CLUSTER_DIR/log/munged.log" --seed-file="$CLUSTER_DIR/munge/munged.seed" || return 1
	CLUSTER_MUNGED_PID=$(cat "$CLUSTER_DIR/munge/munged.pid")

	local host cpus mem ctld_port slurmd_port
	host=$(hostname -s)
	cpus=$(nproc)
	mem=$(awk '/^MemTotal:/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)
	ctld_port=$(cluster_free_port 16817)
	slurmd_port=$(cluster_free_port $((ctld_port + 1)))
	cat >"$CLUSTER_DIR/slurm.conf" <<CONF
ClusterName=gobraggtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$CLUSTER_DIR/state
SlurmdSpoolDir=$CLUSTER_DIR/spool
SlurmctldPidFile=$CLUSTER_DIR/slurmctld.pid
SlurmdPidFile=$CLUSTER_DIR/slurmd.pid
SlurmctldLogFile=$CLUSTER_DIR/log/slurmctld.log
SlurmdLogFile=$CLUSTER_DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
	export SLURM_CONF=$CLUSTER_DIR/slurm.conf
	slurmctld -D -i -f "$SLURM_CONF" >"$CLUSTER_DIR/log/slurmctld.out" 2>&1 &
	CLUSTER_SLURMCTLD_PID=$!
	slurmd -D -f "$SLURM_CONF" >"$CLUSTER_DIR/log/slurmd.out" 2>&1 &
	CLUSTER_SLURMD_PID=$!
	local i
	for i in $(seq 1 60); do
		if sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle; then
			cluster_log "node $host idle (slurmctld :$ctld_port, slurmd :$slurmd_port, $cpus cpus, ${mem} MB)"
			return 0
		fi
		sleep 1
	done
	cluster_log "the node did not come up in 60 s; logs in $CLUSTER_DIR/log:"
	tail -n 20 "$CLUSTER_DIR"/log/*.log "$CLUSTER_DIR"/log/*.out >&2
	return 1
}

cluster_stop() {
	local pid
	for pid in ${CLUSTER_SLURMD_PID:-} ${CLUSTER_SLURMCTLD_PID:-} ${CLUSTER_MUNGED_PID:-}; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in ${CLUSTER_SLURMD_PID:-} ${CLUSTER_SLURMCTLD_PID:-}; do
		wait "$pid" 2>/dev/null || true
	done
	CLUSTER_SLURMD_PID= CLUSTER_SLURMCTLD_PID= CLUSTER_MUNGED_PID=
}
