using System;

namespace DiffGen.Compilation;

/// <summary>
/// A compiled straight-line program over the outputs of an expression graph: it reads the variables
/// from <paramref name="inputs"/> (in the order of the variable list it was compiled with), returns the
/// first output and writes outputs 1, 2, … to <paramref name="rest"/>[0], [1], …. It allocates nothing,
/// keeps no state and may run on many threads at once. It does not check lengths: use
/// <see cref="CompiledGradient"/> or <see cref="CompiledFunction"/>, which do.
/// </summary>
/// <param name="inputs">The variables' values.</param>
/// <param name="rest">Receives every output after the first.</param>
/// <returns>The first output.</returns>
public delegate double GraphKernel(ReadOnlySpan<double> inputs, Span<double> rest);
