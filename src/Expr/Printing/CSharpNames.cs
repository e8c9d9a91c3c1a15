using System;
using System.Collections.Generic;

namespace DiffGen.Expr;

/// <summary>
/// The one rule for writing a name as C# source: a reserved keyword gets <c>@</c> (<c>in</c> → <c>@in</c>);
/// in a dotted name (<c>in.Length</c>) only the first part is escaped. Names built from a parameter's
/// name (<c>din</c>, <c>_d_in</c>) are built from the name without <c>@</c> and escaped as a whole.
/// </summary>
internal static class CSharpNames
{
    /// <summary>The reserved keywords of C# (contextual keywords are valid identifiers).</summary>
    internal static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
        "__arglist", "__makeref", "__reftype", "__refvalue",
    };

    /// <summary>The name as C# source.</summary>
    public static string Escape(string name)
    {
        int dot = name.IndexOf('.');
        string head = dot < 0 ? name : name.Substring(0, dot);
        return Keywords.Contains(head) ? "@" + name : name;
    }
}
