using DriverBuffers.Framework;
using DriverBuffers.Verifier;

namespace DriverBuffers;

/// <summary>
/// C's cast of a generic <c>WDFOBJECT</c> to a specific handle type (<c>(WDFQUEUE)WdfTimerGetParentObject(timer)</c>):
/// the object must be of that kind. A wrong kind is what KMDF Verifier reports as an invalid handle type.
/// </summary>
internal static class HandleCast
{
    public static T? To<T>(WDFOBJECT handle, string typeName) where T : WdfObject
    {
        switch (handle.Object)
        {
            case null:
                return null;
            case T typed:
                return typed;
            case var other:
                other.Runtime.Verifier.Report(Rules.WrongHandleType, $"({typeName}) cast", other.HandleName,
                    $"{other.HandleName} is a {other.Kind}, not a {typeName}");
                return null;
        }
    }
}
