// Scratch vectors are stackalloc'ed in the evals and in the generated derivatives. Zeroing them costs
// time on its own, and on some Xeons the zeroing's AVX stores followed by glibc's SSE exp/tanh run
// ~20× slow (AVX→SSE transition), which would distort the derivative/primal ratios. Every local
// array in this assembly is written before it is read (the evals and the generator's code both
// initialise them), so skipping the zeroing is safe.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
