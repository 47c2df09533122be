namespace DriverBuffers;

/// <summary>C's <c>LOCK_OPERATION</c>, the access <c>MmProbeAndLockPages</c> checks for.</summary>
public enum LOCK_OPERATION
{
    IoReadAccess = 0,
    IoWriteAccess = 1,
    IoModifyAccess = 2,
}
