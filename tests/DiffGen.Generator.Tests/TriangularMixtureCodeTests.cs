namespace DiffGen.Generator.Tests;

/// <summary>
/// Issue 14 (GradBench gmm): what the generated gradient of a mixture with packed triangular factors computes per
/// inner step — the packed index once, the centred coordinates from a table, no replay of the log-sum-exp's max.
/// TriangularMixtureTests in the consumer tests checks the numbers.
/// </summary>
public class TriangularMixtureCodeTests
{
    private const string Mixture = """
            [Differentiable]
            public static double F(ReadOnlySpan<double> alpha, ReadOnlySpan<double> mu, ReadOnlySpan<double> l, [NoDiff] ReadOnlySpan<double> x, int d, int k, int n)
            {
                int lSize = d * (d - 1) / 2;
                Span<double> beta = stackalloc double[k];
                double total = 0.0;
                for (int i = 0; i < n; i++)
                {
                    for (int c = 0; c < k; c++)
                    {
                        double norm = 0.0;
                        for (int r = 0; r < d; r++)
                        {
                            double row = x[i * d + r] - mu[c * d + r];
                            for (int col = 0; col < r; col++)
                            {
                                row += l[c * lSize + col * (2 * d - col - 1) / 2 + r - col - 1] * (x[i * d + col] - mu[c * d + col]);
                            }

                            norm += row * row;
                        }

                        beta[c] = alpha[c] - 0.5 * norm;
                    }

                    double max = beta[0];
                    for (int c = 1; c < k; c++)
                    {
                        max = Math.Max(max, beta[c]);
                    }

                    double sum = 0.0;
                    for (int c = 0; c < k; c++)
                    {
                        sum += Math.Exp(beta[c] - max);
                    }

                    total += max + Math.Log(sum);
                }

                return total;
            }
        """;

    [Fact]
    public void The_reverse_step_computes_the_packed_index_once()
    {
        string gradient = SaveLessCodeTests.Gradient(Mixture, "F");

        // one quotient in the forward sweep's inner loop, one in the reverse's (read by dl's store and l's load)
        Assert.Equal(2, SaveLessCodeTests.Count(gradient, "col * (2 * d - col - 1) / 2"));
    }

    [Fact]
    public void The_centred_coordinates_each_row_reads_again_come_from_a_table()
    {
        string gradient = SaveLessCodeTests.Gradient(Mixture, "F");

        // x − μ of the inner counter is computed in the tables' fills only, not per row and column
        Assert.Equal(0, SaveLessCodeTests.Count(gradient, "(x[i * d + col] - mu[c * d + col])"));
        Assert.Contains("_table[col]", gradient);
        Assert.Contains("_table1[col]", gradient);
    }

    [Fact]
    public void The_shift_of_the_log_sum_exp_is_a_constant_to_the_gradient()
    {
        string gradient = SaveLessCodeTests.Gradient(Mixture, "F");

        // the forward max only: no saved running max, no replay of its ties, no adjoint of it
        Assert.Equal(1, SaveLessCodeTests.Count(gradient, "Math.Max(max, "));
        Assert.DoesNotContain("Push(max)", gradient);
        Assert.DoesNotContain("_d_max", gradient);
        Assert.Contains("StopGradient(max)", gradient);
    }

    [Fact]
    public void A_shift_the_result_counts_twice_keeps_its_derivative()
    {
        string gradient = SaveLessCodeTests.Gradient("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> x)
                {
                    double max = x[0];
                    for (int i = 1; i < x.Length; i++)
                    {
                        max = Math.Max(max, x[i]);
                    }

                    double sum = 0.0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        sum += Math.Exp(x[i] - max);
                    }

                    return 2.0 * max + Math.Log(sum);
                }
            """, "F");

        Assert.DoesNotContain("StopGradient", gradient);
        Assert.Contains("_d_max", gradient);
    }

    [Fact]
    public void An_element_updated_in_place_keeps_its_adjoint_without_a_reset_and_re_add()
    {
        string gradient = SaveLessCodeTests.Gradient("""
                [Differentiable]
                public static double F(ReadOnlySpan<double> l, [NoDiff] ReadOnlySpan<double> x)
                {
                    int d = x.Length;
                    Span<double> qx = stackalloc double[d];
                    for (int j = 0; j < d; j++)
                    {
                        qx[j] = x[j];
                    }

                    int next = 0;
                    for (int col = 0; col < d; col++)
                    {
                        for (int r = col + 1; r < d; r++)
                        {
                            qx[r] += l[next] * x[col];
                            next++;
                        }
                    }

                    double total = 0.0;
                    for (int j = 0; j < d; j++)
                    {
                        total += qx[j] * qx[j];
                    }

                    return total;
                }
            """, "F");

        // the step of qx[r] += l·x reads qx's adjoint and leaves it as it was
        Assert.DoesNotContain("_d_qx[r] = 0.0;", gradient);
        Assert.DoesNotContain("_d_qx[r] += _r", gradient);
        Assert.Contains("dl[next] += ", gradient);
    }
}
