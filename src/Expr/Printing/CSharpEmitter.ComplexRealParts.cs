using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// Over complex numbers, comparisons and conditions read real parts (the branch the continuation takes);
/// an expression that is still a C# double has no <c>.Real</c>.
/// </summary>
public sealed partial class CSharpEmitter
{
    /// <summary>One side of a comparison: the value, or its real part over complex numbers.</summary>
    private string Comparand(Node node, Dictionary<Node, Printed> inline, int minPrecedence) =>
        IsComplex && !PrintsAsDouble(node)
            ? Operand(node, inline, CSharpPrecedence.Primary, asValue: true) + ".Real"
            : Operand(node, inline, minPrecedence, asValue: true); // already real: 0.0, not 0.0.Real

    /// <summary>
    /// True when, over complex numbers, the printed expression is still a C# double: constants, conditions
    /// used as values, and operators or selects whose operands are all such (e.g. <c>(c ? 1.0 : 1.1) * -0.6</c>).
    /// Temporaries are declared Complex, and every function call returns Complex.
    /// </summary>
    private bool PrintsAsDouble(Node node)
    {
        if (node.IsConstant || node.IsCondition || _integers.IsInteger(node))
        {
            return true; // an int (a loop counter, a size, an int temporary) stays an int over complex numbers too
        }

        if (_emitted.ContainsKey(node))
        {
            return false;
        }

        var args = node.ArgArray;
        switch (OpTable.Get(node.Op).Form)
        {
            case CSharpForm.Infix:
            case CSharpForm.Prefix:
                foreach (var a in args)
                {
                    if (!PrintsAsDouble(a))
                    {
                        return false;
                    }
                }

                return true;
            case CSharpForm.Conditional:
                return PrintsAsDouble(args[1]) && PrintsAsDouble(args[2]);
            default:
                return false;
        }
    }
}
