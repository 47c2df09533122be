using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using DriverBuffers.Analyzers.Engine;
using Microsoft.CodeAnalysis.Operations;

namespace DriverBuffers.Analyzers.Catalog;

/// <summary>
/// The API's <c>STATUS_*</c> constants (fields of <c>Wdf</c> and <c>Wdm</c>), whose <c>NT_SUCCESS</c> is decided: the
/// success codes (severity success or informational) are listed; every other <c>STATUS_*</c> field of the API is an error
/// or a warning, for which <c>NT_SUCCESS</c> is false.
/// </summary>
internal static class StatusConstants
{
    private static readonly HashSet<string> Successes = new(System.StringComparer.Ordinal)
    {
        "STATUS_SUCCESS", "STATUS_CONTINUE_COMPLETION", "STATUS_WAIT_0", "STATUS_ABANDONED", "STATUS_USER_APC", "STATUS_KERNEL_APC",
        "STATUS_ALERTED", "STATUS_TIMEOUT", "STATUS_PENDING", "STATUS_REPARSE", "STATUS_MORE_ENTRIES", "STATUS_NOT_ALL_ASSIGNED",
        "STATUS_SOME_NOT_MAPPED", "STATUS_OBJECT_NAME_EXISTS",
    };

    /// <summary><c>NT_SUCCESS</c> of <paramref name="value"/> when it is a <c>STATUS_*</c> constant of the API; otherwise null.</summary>
    public static bool? IsSuccess(IOperation? value, DriverApi api)
    {
        if (OperationUnwrap.Unwrap(value) is not IFieldReferenceOperation { Field: { IsStatic: true } field } ||
            !field.Name.StartsWith("STATUS_", System.StringComparison.Ordinal) ||
            !(SymbolEqualityComparer.Default.Equals(field.ContainingType, api.Wdm) || SymbolEqualityComparer.Default.Equals(field.ContainingType, api.Wdf)))
        {
            return null;
        }

        return Successes.Contains(field.Name);
    }
}
