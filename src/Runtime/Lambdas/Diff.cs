using System;
using System.Linq.Expressions;
using DiffGen.Lambdas;

namespace DiffGen;

/// <summary>
/// <c>grad</c> at run time, for scripts and notebooks, where source generators do not run:
/// <code>
/// var f = Diff.Compile((double x, double y) => Math.Sin(x) * y);
/// double[] g = f.Gradient(1.0, 2.0);        // (2 cos 1, sin 1)
/// Console.WriteLine(f.ToCSharp());           // the code the generator writes for the same body
/// </code>
/// The lambda's expression tree is lowered with the generator's conventions and one table of known
/// functions, differentiated by the same engine (DiffGen.Expr) and compiled by
/// <see cref="Compilation.GraphCompiler"/>: the numbers equal the generated code's bit for bit.
/// </summary>
public static class Diff
{
    /// <summary>Compiles a function of one variable.</summary>
    /// <exception cref="NotSupportedException">The body uses a construct that has no derivative (the message quotes it).</exception>
    public static DifferentiableFunction Compile(Expression<Func<double, double>> f) => Compile((LambdaExpression)f);

    /// <summary>Compiles a function of two variables.</summary>
    /// <exception cref="NotSupportedException">The body uses a construct that has no derivative (the message quotes it).</exception>
    public static DifferentiableFunction Compile(Expression<Func<double, double, double>> f) => Compile((LambdaExpression)f);

    /// <summary>Compiles a function of three variables.</summary>
    /// <exception cref="NotSupportedException">The body uses a construct that has no derivative (the message quotes it).</exception>
    public static DifferentiableFunction Compile(Expression<Func<double, double, double, double>> f) => Compile((LambdaExpression)f);

    /// <summary>Compiles a function of four variables.</summary>
    /// <exception cref="NotSupportedException">The body uses a construct that has no derivative (the message quotes it).</exception>
    public static DifferentiableFunction Compile(Expression<Func<double, double, double, double, double>> f) => Compile((LambdaExpression)f);

    /// <summary>Compiles a function of five variables.</summary>
    /// <exception cref="NotSupportedException">The body uses a construct that has no derivative (the message quotes it).</exception>
    public static DifferentiableFunction Compile(Expression<Func<double, double, double, double, double, double>> f) => Compile((LambdaExpression)f);

    /// <summary>Compiles a function of six variables.</summary>
    /// <exception cref="NotSupportedException">The body uses a construct that has no derivative (the message quotes it).</exception>
    public static DifferentiableFunction Compile(Expression<Func<double, double, double, double, double, double, double>> f) => Compile((LambdaExpression)f);

    /// <summary>Compiles any lambda whose parameters and result are doubles.</summary>
    /// <param name="f">The lambda.</param>
    /// <exception cref="ArgumentNullException"><paramref name="f"/> is null.</exception>
    /// <exception cref="ArgumentException">A parameter or the result is not a double, or there are no parameters.</exception>
    /// <exception cref="NotSupportedException">The body uses a construct that has no derivative (the message quotes it).</exception>
    public static DifferentiableFunction Compile(LambdaExpression f) => DifferentiableFunction.FromLambda(f);

    /// <summary>
    /// Returns <paramref name="x"/> and stops its gradient: generated code, <see cref="Compile(LambdaExpression)"/>
    /// and the graph engine treat its derivative as 0 (JAX's <c>stop_gradient</c>, PyTorch's <c>detach</c>).
    /// In <c>x * Diff.StopGradient(x)</c> the gradient is x, not 2x; over <see cref="Dual"/> and <see cref="Var"/>,
    /// use <see cref="DualMath.StopGradient"/> and <see cref="VarMath.StopGradient"/>.
    /// </summary>
    /// <param name="x">The value.</param>
    public static double StopGradient(double x) => x;
}
