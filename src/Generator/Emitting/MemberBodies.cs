using DiffGen.Expr;
using DiffGen.Generator.Models;

namespace DiffGen.Generator.Emitting;

/// <summary>
/// The statements inside each generated member, after <see cref="MethodEmitter"/> has written its
/// signature and argument checks: from the opening brace's next line to the <c>return</c>.
/// </summary>
internal abstract class MemberBodies
{
    protected MemberBodies(MethodModel model, GeneratedNames names)
    {
        Model = model;
        Names = names;
    }

    protected MethodModel Model { get; }

    protected GeneratedNames Names { get; }

    /// <summary>False where the Hessian-vector product cannot be built (see <see cref="MethodBody.Expression"/>).</summary>
    public virtual bool HasHessianVector => true;

    public abstract void Gradient(CodeWriter w);

    public abstract void Tangent(CodeWriter w);

    public abstract void HessianVector(CodeWriter w);

    /// <summary>The Hessian's body; <paramref name="count"/> is n (a number or an int local), <paramref name="locals"/> names new locals.</summary>
    public abstract void Hessian(CodeWriter w, string count, NameBuilder locals);

    public abstract void ComplexValue(CodeWriter w);
}
