using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Herald.Generator.Tests.Infrastructure;

/// <summary>
/// Finds what a pipeline model must not hold: symbols, compilations, syntax and locations keep a whole
/// compilation alive across edits and defeat caching (they compare by identity).
/// </summary>
internal static class ModelGraph
{
    private static readonly Type[] s_forbidden =
    [
        typeof(ISymbol),
        typeof(Compilation),
        typeof(SyntaxNode),
        typeof(SyntaxTree),
        typeof(SemanticModel),
        typeof(Location),
        typeof(AttributeData),
    ];

    private const BindingFlags InstanceMembers = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    public static bool IsForbidden(Type type) => s_forbidden.Any(forbidden => forbidden.IsAssignableFrom(type));

    /// <summary>Walks every object reachable from <paramref name="root"/>; returns the paths of forbidden ones.</summary>
    public static List<string> FindForbiddenValues(object? root, string rootName, out int visitedCount)
    {
        var problems = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        visitedCount = 0;
        Walk(root, rootName, visited, problems, ref visitedCount);
        return problems;
    }

    private static void Walk(object? value, string path, HashSet<object> visited, List<string> problems, ref int visitedCount)
    {
        if (value is null)
            return;
        var type = value.GetType();
        visitedCount++;
        if (IsForbidden(type))
        {
            problems.Add(path + ": " + type.FullName);
            return;
        }
        if (type.IsPrimitive || type.IsEnum || type.IsPointer || value is string or decimal or MemberInfo)
            return;
        if (!type.IsValueType && !visited.Add(value))
            return;

        if (value is Array array)
        {
            var index = 0;
            foreach (var item in (IEnumerable)array)
                Walk(item, path + "[" + index++ + "]", visited, problems, ref visitedCount);
            return;
        }

        // Fields, not enumeration: ImmutableArray, EquatableArray, tuples and records all keep their data in fields,
        // and a default ImmutableArray cannot be enumerated.
        for (var declaring = type; declaring is not null && declaring != typeof(object); declaring = declaring.BaseType)
        {
            foreach (var field in declaring.GetFields(InstanceMembers | BindingFlags.DeclaredOnly))
                Walk(field.GetValue(value), path + "." + field.Name, visited, problems, ref visitedCount);
        }
    }

    /// <summary>
    /// The declared member types reachable from <paramref name="type"/> (fields, properties, generic arguments and
    /// element types, following types of the generator's own assembly) that are forbidden.
    /// </summary>
    public static List<string> FindForbiddenMembers(Type type)
    {
        var problems = new List<string>();
        CheckMembers(type, type.Name, new HashSet<Type>(), problems);
        return problems;
    }

    private static void CheckMembers(Type type, string path, HashSet<Type> visited, List<string> problems)
    {
        if (!visited.Add(type))
            return;
        foreach (var field in type.GetFields(InstanceMembers | BindingFlags.Static))
            CheckType(field.FieldType, path + "." + field.Name, visited, problems);
        foreach (var property in type.GetProperties(InstanceMembers | BindingFlags.Static))
            CheckType(property.PropertyType, path + "." + property.Name, visited, problems);
    }

    private static void CheckType(Type type, string path, HashSet<Type> visited, List<string> problems)
    {
        if (IsForbidden(type))
        {
            problems.Add(path + ": " + type.FullName);
            return;
        }
        if (type.HasElementType)
            CheckType(type.GetElementType()!, path + "[]", visited, problems);
        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
                CheckType(argument, path + "<" + argument.Name + ">", visited, problems);
        }
        if (type.Assembly == typeof(DispatchGenerator).Assembly)
            CheckMembers(type, type.Name, visited, problems);
    }
}
