using DriverBuffers.Verifier;

namespace DriverBuffers.Framework;

/// <summary>
/// The check for a required pointer parameter (a structure, an IRP, a callback): null is KMDF's bug check
/// 0x10D/0x4 (WDF_REQUIRED_PARAMETER_IS_NULL), raised as <see cref="Rules.RequiredParameterIsNull"/>. With the
/// verifier off the DDI returns its failure status (or does nothing).
/// </summary>
internal static class RequiredParameter
{
    /// <summary>True when <paramref name="value"/> is present; otherwise reports and returns false.</summary>
    public static bool Present<T>(T? value, string ddi, string parameter) where T : class
    {
        if (value is not null)
        {
            return true;
        }
        AmbientRuntime.Current.Verifier.Report(Rules.RequiredParameterIsNull, ddi, parameter,
            $"the required parameter {parameter} is NULL");
        return false;
    }
}
