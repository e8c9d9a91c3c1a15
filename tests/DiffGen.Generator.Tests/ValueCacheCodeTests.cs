namespace DiffGen.Generator.Tests;

/// <summary>
/// Issue 11/14: costly values the reverse sweep would compute again are kept — an eˣ in the output span the reverse
/// loop overwrites (ElementCache), a value the point loop does not change in a table (InvariantTables) — counted in
/// the generated gradient; the look-alikes keep computing. CachedValueTests in the consumer tests checks the numbers.
/// </summary>
public class ValueCacheCodeTests
{
    private static string Gradient(string body) => SaveLessCodeTests.Gradient(body, "F");

    /// <summary>Exponentials computed: calls of Math.Exp, and maps of a whole slice through ExpInPlace (element-wise maps, LoopMaps).</summary>
    private static int Exps(string code) => SaveLessCodeTests.Count(code, "Math.Exp(") + SaveLessCodeTests.Count(code, "ExpInPlace(");

    [Fact]
    public void Log_sum_exp_computes_each_exponential_once_and_keeps_it_in_the_gradient()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> x, [NoDiff] double shift)
                {
                    double sum = 0.0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        sum += Math.Exp(x[i] - shift);
                    }

                    return shift + Math.Log(sum);
                }
            """);

        Assert.Equal(1, Exps(gradient));
        Assert.Contains("ExpInPlace(dx, 0, x.Length);", gradient);
        Assert.Contains("sum += dx[i];", gradient);
        Assert.Contains("dx[i] = _d_sum == 0.0 ? 0.0 : _d_sum * dx[i];", gradient);
    }

    [Fact]
    public void A_reverse_step_that_needs_the_value_after_the_store_reads_a_local()
    {
        string gradient = Gradient(SavePlanCodeTests.RunningMaxLogSumExp);

        // one exponential per element: kept in dx (ElementKeeping leaves it to ElementCache, cheaper than a local the
        // value stack saves), read back before the store for the max's partial too (SavePlanCodeTests counts the pushes)
        Assert.Equal(1, Exps(gradient));
    }

    [Fact]
    public void An_adjoint_accumulated_between_the_loops_is_no_cache()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> x)
                {
                    double sum = 0.0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        sum += Math.Exp(x[i]);
                    }

                    double squares = 0.0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        squares += x[i] * x[i];
                    }

                    return Math.Log(sum) + squares;
                }
            """);

        Assert.Equal(2, Exps(gradient));
    }

    [Fact]
    public void A_value_the_point_loop_does_not_change_is_computed_once_per_index_before_it()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> q, ReadOnlySpan<double> mu, [NoDiff] ReadOnlySpan<double> x, int d, int k)
                {
                    int n = x.Length / d;
                    double total = 0.0;
                    for (int i = 0; i < n; i++)
                    {
                        for (int c = 0; c < k; c++)
                        {
                            double s = 0.0;
                            for (int j = 0; j < d; j++)
                            {
                                double w = q[c * d + j];
                                double z = Math.Exp(w) * (x[i * d + j] - mu[c * d + j]);
                                s += z * z + Math.Exp(0.1 * x[i * d + j]);
                            }

                            total += Math.Log(1.0 + s);
                        }
                    }

                    return total;
                }
            """);

        // e^q: one table per sweep, filled before its point loop (when it and the inner loops run; an exp map over
        // each component's row) and read inside it; e^(0.1·x) reads the point but not the component: a table per
        // point, filled before the component loop (InnerLoopTables), in the forward sweep only (the reverse sweep
        // does not need it)
        Assert.Equal(3, SaveLessCodeTests.Count(gradient, "ExpInPlace(_table"));
        Assert.Equal(2, SaveLessCodeTests.Count(gradient, " && 0 < k && 0 < d)"));
        Assert.Equal(1, SaveLessCodeTests.Count(gradient, "ExpInPlace(_table2, 0, d);"));
        Assert.Equal(0, SaveLessCodeTests.Count(gradient, "global::System.Math.Exp(0.1 * "));
        Assert.Equal(3, Exps(gradient));
        Assert.DoesNotContain("_stack.Push(_exp)", gradient);
        Assert.DoesNotContain("Math.Exp(w)", gradient);
    }

    [Fact]
    public void A_value_that_reads_an_element_only_its_branch_reads_stays_in_the_loop()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> q, [NoDiff] ReadOnlySpan<double> x, int d)
                {
                    int n = x.Length / d;
                    double total = 0.0;
                    for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j < d; j++)
                        {
                            total += x[i * d + j] > 0 ? Math.Exp(q[j + 1]) : q[j];
                        }
                    }

                    return total;
                }
            """);

        // q[j + 1] may be out of range where the branch is never taken: computing it for every j could throw
        Assert.DoesNotContain("_table", gradient);
    }
}
