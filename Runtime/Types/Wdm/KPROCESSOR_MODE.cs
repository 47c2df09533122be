namespace DriverBuffers;

/// <summary>C's <c>KPROCESSOR_MODE</c>.</summary>
public enum KPROCESSOR_MODE : sbyte
{
    KernelMode = 0,
    UserMode = 1,
}
