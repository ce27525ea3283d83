// The ormlint binary allocates with jemalloc, asked to back its memory with transparent huge pages.
//
// Why: a run builds many small objects (the facts of every file, the project model), and on the virtual machines
// ormlint runs on (CI runners, the development VM) a first touch of a 4 KiB page is expensive: with glibc's
// malloc, a check of the 2,000-file benchmark spent ~0.35 s of its ~0.9 s (warm cache) in the kernel, mapping
// pages. Huge pages take that to ~0.08 s; jemalloc's "thp:always" madvises its own mappings (the kernel's usual
// THP setting is "madvise"), which glibc only does under an environment tunable. bench/run.sh measures it.
//
// jemalloc reads this string when it initialises (its documented `malloc_conf` hook), before main().
// Kernels with THP off simply ignore the advice.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): the name and type are jemalloc's interface.
const char* malloc_conf = "thp:always,metadata_thp:always";
}
