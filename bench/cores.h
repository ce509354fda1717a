/* cores: whether the machine's CPUs are separate cores at this moment.
 *
 * A virtual machine's "2 cores" can be two hardware threads of one physical
 * core (SMT siblings), and the host may move them between its cores while the
 * benchmark runs. Two siblings share one core's execution units, so no program
 * runs twice as fast on both: the speed-up figure then measures the host, not
 * the library. The probe runs a kernel that keeps a core's multipliers busy
 * (eight independent 64-bit multiply chains, no memory) on one thread and on
 * nthreads threads: on separate cores each thread keeps its own speed (about
 * xN), on siblings they split one core's multipliers (about x1.1). */
#ifndef LP_BENCH_CORES_H
#define LP_BENCH_CORES_H

/* The probe's speed-up on nthreads threads against one, in hundredths
 * (200 = x2.00). Takes about 60 ms on two threads. */
long cores_probe(int nthreads);

/* Whether a probe's speed-up says the nthreads CPUs were separate cores: at
 * least 90% of the ideal. */
int cores_separate(long speedup, int nthreads);

#endif
