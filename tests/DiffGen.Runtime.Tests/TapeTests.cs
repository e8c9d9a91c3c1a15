using System;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DiffGen.Runtime.Tests;

public class TapeTests
{
    [Fact]
    public void Sum_times_product_from_the_backprop_lecture()
    {
        var tape = new Tape();
        Var x = tape.Variable(-2.0);
        Var y = tape.Variable(5.0);
        Var z = tape.Variable(-4.0);
        Var f = (x + y) * z;
        tape.Backward(f);
        Assert.Equal(-12.0, f.Value);
        Assert.Equal(-4.0, tape.Grad(x));
        Assert.Equal(-4.0, y.Grad);
        Assert.Equal(3.0, z.Grad);
    }

    [Fact]
    public void Sigmoid_neuron_from_the_backprop_lecture()
    {
        var tape = new Tape();
        Var w0 = tape.Variable(2.0), w1 = tape.Variable(-3.0), w2 = tape.Variable(-3.0);
        Var x0 = tape.Variable(-1.0), x1 = tape.Variable(-2.0);
        Var f = 1.0 / (1.0 + VarMath.Exp(-(w0 * x0 + w1 * x1 + w2)));
        tape.Backward(f);

        // Closed form: with s = σ(1) = f, ∂f/∂wᵢ = s(1 − s)·xᵢ, ∂f/∂w2 = s(1 − s), ∂f/∂xᵢ = s(1 − s)·wᵢ.
        double s = 1.0 / (1.0 + Math.Exp(-1.0));
        double ds = s * (1.0 - s);
        Assert.Equal(s, f.Value, 15);
        Assert.Equal(-1.0 * ds, w0.Grad, 15);
        Assert.Equal(-2.0 * ds, w1.Grad, 15);
        Assert.Equal(ds, w2.Grad, 15);
        Assert.Equal(2.0 * ds, x0.Grad, 15);
        Assert.Equal(-3.0 * ds, x1.Grad, 15);
        // The lecture's rounded figures.
        Assert.Equal(-0.20, w0.Grad, 2);
        Assert.Equal(-0.39, w1.Grad, 2);
        Assert.Equal(0.20, w2.Grad, 2);
        Assert.Equal(0.39, x0.Grad, 2);
        Assert.Equal(-0.59, x1.Grad, 2);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Max_and_min_split_ties_in_either_order_and_pass_NaN_to_both(bool max)
    {
        Var Apply(Var a, Var b) => max ? VarMath.Max(a, b) : VarMath.Min(a, b);
        foreach (bool swapped in new[] { false, true })
        {
            var tape = new Tape();
            Var x = tape.Variable(0.0), zero = tape.Variable(0.0);
            tape.Backward(swapped ? Apply(zero, x) : Apply(x, zero));
            Assert.Equal(0.5, x.Grad);
            Assert.Equal(0.5, zero.Grad);

            var nanTape = new Tape();
            Var nan = nanTape.Variable(double.NaN), y = nanTape.Variable(2.0);
            Var result = swapped ? Apply(y, nan) : Apply(nan, y);
            nanTape.Backward(result * 3.0);
            Assert.True(double.IsNaN(result.Value));
            Assert.Equal(3.0, nan.Grad);
            Assert.Equal(3.0, y.Grad);
        }

        var strict = new Tape();
        Var small = strict.Variable(1.0), large = strict.Variable(2.0);
        strict.Backward(Apply(small, large));
        Assert.Equal(max ? 0.0 : 1.0, small.Grad);
        Assert.Equal(max ? 1.0 : 0.0, large.Grad);
    }

    [Fact]
    public void Reused_variables_accumulate_adjoints()
    {
        var tape = new Tape();
        Var x = tape.Variable(3.0);
        Var f = x * x * x + VarMath.Sin(x) * x; // 3x² + sin x + x cos x
        tape.Backward(f);
        Assert.Equal(27.0 + Math.Sin(3.0) + 3.0 * Math.Cos(3.0), x.Grad, 13);
    }

    [Fact]
    public void Every_function_matches_Dual()
    {
        // The tape's reverse sweep against Dual's forward sweep, function by function.
        foreach (DualTests.UnaryCase c in DualTests.Unary)
        {
            Func<Var, Var>? f = TapeVersion(c.Name);
            if (f is null)
            {
                continue;
            }

            foreach (double x in c.Points)
            {
                var tape = new Tape(4);
                Var input = tape.Variable(x);
                Var output = f(input);
                tape.Backward(output);
                Dual forward = c.F(Dual.Variable(x));
                Assert.Equal(forward.Value, output.Value);
                Oracles.AssertClose(forward.Derivative, input.Grad, 1e-15, 1e-300, $"{c.Name}({x})");
            }
        }
    }

    private static Func<Var, Var>? TapeVersion(string name) => name switch
    {
        "Exp" => VarMath.Exp,
        "Log" => VarMath.Log,
        "Log10" => VarMath.Log10,
        "Log2" => VarMath.Log2,
        "Log1p" => VarMath.Log1p,
        "Expm1" => VarMath.Expm1,
        "Sqrt" => VarMath.Sqrt,
        "Cbrt" => VarMath.Cbrt,
        "Pow 2.5" => x => VarMath.Pow(x, 2.5),
        "Pow 3 (negative base)" => x => VarMath.Pow(x, 3.0),
        "Pow 0" => x => VarMath.Pow(x, 0.0),
        "Pow const base" => x => VarMath.Pow(2.0, x),
        "Sin" => VarMath.Sin,
        "Cos" => VarMath.Cos,
        "Tan" => VarMath.Tan,
        "Asin" => VarMath.Asin,
        "Acos" => VarMath.Acos,
        "Atan" => VarMath.Atan,
        "Sinh" => VarMath.Sinh,
        "Cosh" => VarMath.Cosh,
        "Tanh" => VarMath.Tanh,
        "Abs" => VarMath.Abs,
        "Sign" => VarMath.Sign,
        "Floor" => VarMath.Floor,
        "Ceiling" => VarMath.Ceiling,
        "Round" => VarMath.Round,
        "Arithmetic" => x => (x * x + 3.0) / (x - 5.0) - 2.0 / x + 0.5 * x - (1.0 - x) * (x + 4.0) + (-x) / 3.0,
        _ => null,
    };

    [Fact]
    public void Binary_functions_match_closed_forms()
    {
        var tape = new Tape();
        Var y = tape.Variable(0.7), x = tape.Variable(-1.3), z = tape.Variable(2.0);
        Var f = VarMath.Atan2(y, x) + VarMath.Pow(z, y) + VarMath.FusedMultiplyAdd(x, y, z) + VarMath.Max(x, y) * VarMath.Min(x, z);
        tape.Backward(f);
        double r2 = x.Value * x.Value + y.Value * y.Value;
        // max(x, y) = y, min(x, z) = x, so the last term is y·x.
        Assert.Equal(-1.3 / r2 + Math.Pow(2.0, 0.7) * Math.Log(2.0) + (-1.3) + (-1.3), y.Grad, 13);
        Assert.Equal(-0.7 / r2 + 0.7 + 0.7, x.Grad, 13);
        Assert.Equal(0.7 * Math.Pow(2.0, -0.3) + 1.0, z.Grad, 13);
    }

    /// <summary>A random straight-line program over three inputs: each step combines earlier values (a DAG).</summary>
    private readonly record struct Instruction(int Op, int A, int B, double C);

    private static Instruction[] RandomProgram(int seed)
    {
        var random = new Random(seed);
        var program = new Instruction[random.Next(1, 12)];
        for (int i = 0; i < program.Length; i++)
        {
            int available = 3 + i;
            program[i] = new Instruction(random.Next(0, 12), random.Next(available), random.Next(available), random.NextDouble() * 4 - 2);
        }

        return program;
    }

    private static Complex Run(Instruction[] program, Complex[] inputs)
    {
        var v = new Complex[3 + program.Length];
        inputs.CopyTo(v, 0);
        for (int i = 0; i < program.Length; i++)
        {
            (int op, int ia, int ib, double c) = program[i];
            Complex a = v[ia], b = v[ib];
            v[3 + i] = op switch
            {
                0 => a + b,
                1 => a - b,
                2 => a * b,
                3 => a / (1.0 + b * b),
                4 => Complex.Sin(a),
                5 => Complex.Cos(a),
                6 => Complex.Exp(Complex.Tanh(a)),
                7 => Complex.Log(1.0 + a * a),
                8 => Complex.Sqrt(1.0 + a * a),
                9 => Complex.Tanh(a),
                10 => c * a + c,
                _ => c / (2.0 + Complex.Cos(a)),
            };
        }

        return v[^1];
    }

    private static Dual Run(Instruction[] program, Dual[] inputs)
    {
        var v = new Dual[3 + program.Length];
        inputs.CopyTo(v, 0);
        for (int i = 0; i < program.Length; i++)
        {
            (int op, int ia, int ib, double c) = program[i];
            Dual a = v[ia], b = v[ib];
            v[3 + i] = op switch
            {
                0 => a + b,
                1 => a - b,
                2 => a * b,
                3 => a / (1.0 + b * b),
                4 => DualMath.Sin(a),
                5 => DualMath.Cos(a),
                6 => DualMath.Exp(DualMath.Tanh(a)),
                7 => DualMath.Log(1.0 + a * a),
                8 => DualMath.Sqrt(1.0 + a * a),
                9 => DualMath.Tanh(a),
                10 => c * a + c,
                _ => c / (2.0 + DualMath.Cos(a)),
            };
        }

        return v[^1];
    }

    private static Var Run(Instruction[] program, Var[] inputs)
    {
        var v = new Var[3 + program.Length];
        inputs.CopyTo(v, 0);
        for (int i = 0; i < program.Length; i++)
        {
            (int op, int ia, int ib, double c) = program[i];
            Var a = v[ia], b = v[ib];
            v[3 + i] = op switch
            {
                0 => a + b,
                1 => a - b,
                2 => a * b,
                3 => a / (1.0 + b * b),
                4 => VarMath.Sin(a),
                5 => VarMath.Cos(a),
                6 => VarMath.Exp(VarMath.Tanh(a)),
                7 => VarMath.Log(1.0 + a * a),
                8 => VarMath.Sqrt(1.0 + a * a),
                9 => VarMath.Tanh(a),
                10 => c * a + c,
                _ => c / (2.0 + VarMath.Cos(a)),
            };
        }

        return v[^1];
    }

    /// <summary>A random program (by seed) and a point in [−1.5, 1.5]³.</summary>
    public readonly record struct ProgramSample(int Seed, double X, double Y, double Z);

    /// <summary>The draws of the property below, registered with FsCheck.</summary>
    public static class Samples
    {
        public static Arbitrary<ProgramSample> ProgramSamples() =>
            (from seed in Gen.Choose(0, int.MaxValue - 1)
             from x in Gen.Choose(-1500, 1500)
             from y in Gen.Choose(-1500, 1500)
             from z in Gen.Choose(-1500, 1500)
             select new ProgramSample(seed, x / 1000.0, y / 1000.0, z / 1000.0)).ToArbitrary();
    }

    private readonly Tape _tape = new(8);

    /// <summary>Reverse mode on the tape = Dual = complex step on random programs; a failure prints the replay seed.</summary>
    [Property(Arbitrary = new[] { typeof(Samples) }, MaxTest = 100, QuietOnSuccess = true)]
    public void Random_programs_tape_equals_dual_equals_complex_step(ProgramSample sample)
    {
        Instruction[] program = RandomProgram(sample.Seed);
        double[] point = { sample.X, sample.Y, sample.Z };

        _tape.Reset();
        Var[] inputs = { _tape.Variable(point[0]), _tape.Variable(point[1]), _tape.Variable(point[2]) };
        Var output = Run(program, inputs);
        _tape.Backward(output);

        for (int i = 0; i < 3; i++)
        {
            var duals = new Dual[3];
            var complexes = new Complex[3];
            for (int j = 0; j < 3; j++)
            {
                duals[j] = new Dual(point[j], i == j ? 1.0 : 0.0);
                complexes[j] = new Complex(point[j], i == j ? Oracles.ComplexStep : 0.0);
            }

            double forward = Run(program, duals).Derivative;
            double complexStep = Run(program, complexes).Imaginary / Oracles.ComplexStep;
            double reverse = inputs[i].Grad;
            if (!Oracles.Close(forward, reverse, 1e-12, 1e-14) || !Oracles.Close(complexStep, reverse, 1e-10, 1e-12))
            {
                throw new Exception($"seed {sample.Seed}, input {i}: reverse {reverse:R}, forward {forward:R}, complex step {complexStep:R}");
            }
        }
    }

    [Fact]
    public void Recording_allocates_nothing_after_warm_up()
    {
        var tape = new Tape(16);
        Record(tape); // warm-up: the arrays grow to their final size, code is jitted
        tape.Reset();
        Record(tape);
        tape.Reset();

        long before = GC.GetAllocatedBytesForCurrentThread();
        Var output = Record(tape);
        tape.Backward(output);
        double gradient = tape.Grad(output);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(tape.Count >= 10_000, $"recorded {tape.Count} entries");
        Assert.Equal(1.0, gradient);
        Assert.Equal(0, allocated);
    }

    private static Var Record(Tape tape)
    {
        // 2,500 iterations of 4 recorded operations each: 10,000 entries plus one leaf.
        Var x = tape.Variable(0.5);
        Var acc = x;
        for (int i = 0; i < 2_500; i++)
        {
            acc = VarMath.Sin(acc) * x + 0.1 * VarMath.Tanh(acc);
        }

        return acc;
    }

    [Fact]
    public void Reset_reuses_storage_and_invalidates_old_handles()
    {
        var tape = new Tape(2);
        Var old = tape.Variable(1.0);
        Var doubled = old * 2.0;
        tape.Backward(doubled);
        Assert.Equal(2.0, old.Grad);
        int capacity = tape.Capacity;

        tape.Reset();
        Assert.Equal(0, tape.Count);
        Assert.Equal(capacity, tape.Capacity);
        Assert.Throws<ArgumentException>(() => old.Value);
        Assert.Throws<ArgumentException>(() => tape.Backward(old));

        Var fresh = tape.Variable(3.0);
        Assert.Throws<InvalidOperationException>(() => fresh.Grad);
        Var squared = fresh * fresh;
        tape.Backward(squared);
        Assert.Equal(6.0, fresh.Grad);
    }

    [Fact]
    public void Mixing_tapes_is_rejected()
    {
        var first = new Tape();
        var second = new Tape();
        Var a = first.Variable(1.0);
        Var b = second.Variable(2.0);
        Assert.Throws<ArgumentException>(() => a + b);
        Assert.Throws<ArgumentException>(() => first.Grad(b));
    }

    [Fact]
    public void Entries_after_the_output_get_zero_gradient()
    {
        var tape = new Tape();
        Var x = tape.Variable(2.0);
        Var y = x * 3.0;
        Var later = y * y;
        tape.Backward(y);
        Assert.Equal(3.0, x.Grad);
        Assert.Equal(0.0, later.Grad);
    }
}
