using DriverBuffers.Verifier;

namespace DriverBuffers.Framework;

/// <summary>
/// The check every DDI makes on the handles it is given: a null handle is DRV022, an ended object breaks
/// the rule its end names (DRV001 for memory of a completed request, DRV003 for a completed request,
/// UseAfterDelete, ...). With the verifier off the DDI gets null back and returns its failure status.
/// </summary>
internal static class HandleValidation
{
    public static T? Use<T>(T? obj, string ddi, string handleName) where T : WdfObject
    {
        if (obj is null)
        {
            AmbientRuntime.Current.Verifier.Report(Rules.NullHandleUse, ddi, handleName,
                "a null handle was passed (typically the output of a WdfRequestRetrieve* or create call that failed)");
            return null;
        }
        if (obj.End is { } end)
        {
            obj.Runtime.Verifier.Report(end.Rule, ddi, handleName, end.Detail);
            return null;
        }
        return obj;
    }

    /// <summary>Like <see cref="Use{T}"/> for an optional handle: null is fine and gives null without a report.</summary>
    public static T? UseOptional<T>(T? obj, string ddi, string handleName, out bool valid) where T : WdfObject
    {
        valid = true;
        if (obj is null)
        {
            return null;
        }
        var used = Use(obj, ddi, handleName);
        valid = used is not null;
        return used;
    }
}
