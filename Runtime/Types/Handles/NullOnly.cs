namespace DriverBuffers;

/// <summary>
/// Implements the conversions that let C's <c>NULL</c> stand for an optional handle, structure or offset:
/// only the null <see cref="PVOID"/> converts; anything else is a translation error.
/// </summary>
internal static class NullOnly
{
    public static T Convert<T>(PVOID pointer, T nullValue)
    {
        if (pointer != default)
        {
            throw new WdfViolationException(
                Verifier.Rules.InvalidNullConversion, "implicit conversion", pointer.ToString(),
                $"only NULL converts to {typeof(T).Name}; a non-null pointer is not a {typeof(T).Name}");
        }
        return nullValue;
    }
}
