using System;
using System.Numerics;

namespace DiffGen.Expr;

/// <summary>The local partial ∂node/∂node.Args[arg] as a node of <paramref name="g"/>, or null for a symbolic zero.</summary>
internal delegate Node? PartialRule(Graph g, Node node, int arg);

/// <summary>How an operation prints in C#.</summary>
internal enum CSharpForm : byte
{
    /// <summary>A leaf: constant or variable.</summary>
    Leaf,
    /// <summary>A binary infix operator such as <c>a + b</c>.</summary>
    Infix,
    /// <summary>A prefix operator such as <c>-a</c> or <c>!a</c>.</summary>
    Prefix,
    /// <summary><c>c ? a : b</c></summary>
    Conditional,
    /// <summary>A call <c>F(a, b)</c>.</summary>
    Call,
}

/// <summary>
/// Everything about one operation, in one place: arity, evaluation over double and
/// <see cref="Complex"/>, the derivative rule, and how it prints. See <see cref="OpTable"/>.
/// </summary>
internal sealed class OpInfo
{
    internal OpInfo(Op op, string name, int arity)
    {
        Op = op;
        Name = name;
        Arity = arity;
    }

    /// <summary>The operation.</summary>
    public Op Op { get; }

    /// <summary>A short lower-case name (used in DOT labels and diagnostics).</summary>
    public string Name { get; }

    /// <summary>Number of arguments; −1 for any number (at least one).</summary>
    public int Arity { get; }

    /// <summary>True for comparisons and logic: the value is a condition (1 or 0).</summary>
    public bool IsCondition { get; internal set; }

    /// <summary>True for a commutative binary operation (its arguments may be put in canonical order).</summary>
    public bool IsCommutative { get; internal set; }

    /// <summary>The derivative rule, documented with its formula in <see cref="OpTable"/>. Null for leaves.</summary>
    public PartialRule? Partial { get; internal set; }

    internal Func<double, double>? Real1 { get; set; }
    internal Func<double, double, double>? Real2 { get; set; }
    internal Func<double, double, double, double>? Real3 { get; set; }
    internal Func<double[], double>? RealN { get; set; }
    internal Func<Complex, Complex>? Complex1 { get; set; }
    internal Func<Complex, Complex, Complex>? Complex2 { get; set; }
    internal Func<Complex, Complex, Complex, Complex>? Complex3 { get; set; }
    internal Func<Complex[], Complex>? ComplexN { get; set; }

    /// <summary>False where constant folding could disagree with the code's run-time value (see <see cref="MathCompat"/>).</summary>
    internal bool Foldable { get; set; } = true;

    /// <summary>True where the value can be ±∞ at finite arguments (a pole or an overflow): see <see cref="ZeroSeed"/>.</summary>
    internal bool CanBeInfinite { get; set; }

    /// <summary>How the operation prints in C#.</summary>
    public CSharpForm Form { get; internal set; } = CSharpForm.Call;

    /// <summary>The operator token (<see cref="CSharpForm.Infix"/>, <see cref="CSharpForm.Prefix"/>) or the fully qualified double function.</summary>
    public string CSharp { get; internal set; } = "";

    /// <summary>The fully qualified function over <see cref="Complex"/> (for calls).</summary>
    public string CSharpComplex { get; internal set; } = "";

    /// <summary>The precedence of a primary expression (a name, a call, an element access): above every operator.</summary>
    public const int PrimaryPrecedence = 20;

    /// <summary>C# precedence of the printed form (higher binds tighter).</summary>
    public int Precedence { get; internal set; } = PrimaryPrecedence;

    /// <summary>LaTeX template with {0}, {1}, … for the arguments (operators are printed with precedence by the printer).</summary>
    public string Latex { get; internal set; } = "";

    /// <summary>Evaluates the operation over doubles.</summary>
    public double Evaluate(double[] args)
    {
        if (args is null)
        {
            throw new ArgumentNullException(nameof(args));
        }

        return Arity switch
        {
            1 => Real1!(args[0]),
            2 => Real2!(args[0], args[1]),
            3 => Real3!(args[0], args[1], args[2]),
            _ => RealN!(args),
        };
    }
}
