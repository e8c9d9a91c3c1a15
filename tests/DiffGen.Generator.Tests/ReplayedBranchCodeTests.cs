using static DiffGen.Generator.Tests.SaveLessCodeTests;

namespace DiffGen.Generator.Tests;

/// <summary>
/// A branch whose condition reads only names the method never writes and the enclosing counters is evaluated again
/// in the reverse sweep, as a loop bound is: GradBench k-means' gradient saved one flag per point and centroid and
/// now saves nothing. A condition on a value the loop changes keeps its flag. ReplayedBranchTests (consumer) checks
/// the numbers.
/// </summary>
public class ReplayedBranchCodeTests
{
    [Fact]
    public void A_branch_on_constant_data_and_counters_saves_no_flag()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double AssignedCost(ReadOnlySpan<double> centroids, [NoDiff] ReadOnlySpan<double> points, [NoDiff] ReadOnlySpan<double> assignment, int n, int k, int d)
                {
                    double cost = 0.0;
                    for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j < k; j++)
                        {
                            if (assignment[i] == j)
                            {
                                for (int c = 0; c < d; c++)
                                {
                                    cost += (points[i * d + c] - centroids[j * d + c]) * (points[i * d + c] - centroids[j * d + c]);
                                }
                            }
                        }
                    }

                    return cost;
                }
            """, "AssignedCost");

        Assert.DoesNotContain("_branch", gradient);
        Assert.DoesNotContain("_stack", gradient);
        Assert.Equal(2, Count(gradient, "if (assignment[i] == j)"));
    }

    [Fact]
    public void A_branch_on_a_differentiable_input_nothing_writes_saves_no_flag()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double Positive(ReadOnlySpan<double> x)
                {
                    double sum = 0.0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        if (x[i] > 0.0)
                        {
                            sum += x[i] * x[i];
                        }
                    }

                    return sum;
                }
            """, "Positive");

        Assert.DoesNotContain("_branch", gradient);
        Assert.Equal(2, Count(gradient, "if (x[i] > 0.0)"));
    }

    [Fact]
    public void A_branch_on_a_value_the_loop_changes_keeps_its_flag()
    {
        string gradient = Gradient("""
                [Differentiable]
                public static double RunningThreshold(ReadOnlySpan<double> x)
                {
                    double sum = 0.0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        if (sum > 1.0)
                        {
                            sum += 0.5 * x[i] * x[i];
                        }
                        else
                        {
                            sum += Math.Exp(x[i]);
                        }
                    }

                    return sum;
                }
            """, "RunningThreshold");

        Assert.Contains("_stack.Push(_branch)", gradient);
        Assert.Contains("_branch = (int)_stack.Pop();", gradient);
    }
}
