namespace DriverBuffers.IoManager;

/// <summary>What the application asked for: the request type, its user buffers and their transfer methods.</summary>
internal sealed record IoSubmission(
    WDF_REQUEST_TYPE Type,
    byte[]? UserInput,
    byte[]? UserOutput,
    TransferMethod InputMethod,
    TransferMethod OutputMethod,
    uint IoControlCode = 0,
    long DeviceOffset = 0)
{
    /// <summary>C's <c>MinorFunction</c> (PnP IRPs).</summary>
    public byte MinorFunction { get; init; }

    /// <summary>Who sent it: <c>UserMode</c> for an application, <c>KernelMode</c> for another driver (internal IOCTLs, PnP).</summary>
    public KPROCESSOR_MODE RequestorMode { get; init; } = KPROCESSOR_MODE.UserMode;

    public static IoSubmission Read(byte[] userBuffer, TransferMethod method, long deviceOffset) =>
        new(WDF_REQUEST_TYPE.WdfRequestTypeRead, null, userBuffer, TransferMethod.None, method, 0, deviceOffset);

    public static IoSubmission Write(byte[] userBuffer, TransferMethod method, long deviceOffset) =>
        new(WDF_REQUEST_TYPE.WdfRequestTypeWrite, userBuffer, null, method, TransferMethod.None, 0, deviceOffset);

    /// <summary>An IOCTL: the method is the low two bits of the control code (CTL_CODE).</summary>
    public static IoSubmission DeviceControl(uint ioControlCode, byte[]? input, byte[]? output, bool internalControl = false)
    {
        var (inputMethod, outputMethod) = (ioControlCode & 3) switch
        {
            Wdm.METHOD_BUFFERED => (TransferMethod.Buffered, TransferMethod.Buffered),
            Wdm.METHOD_IN_DIRECT or Wdm.METHOD_OUT_DIRECT => (TransferMethod.Buffered, TransferMethod.Direct),
            _ => (TransferMethod.Neither, TransferMethod.Neither),
        };
        var type = internalControl ? WDF_REQUEST_TYPE.WdfRequestTypeDeviceControlInternal : WDF_REQUEST_TYPE.WdfRequestTypeDeviceControl;
        return new(type, input, output, inputMethod, outputMethod, ioControlCode)
        {
            RequestorMode = internalControl ? KPROCESSOR_MODE.KernelMode : KPROCESSOR_MODE.UserMode,
        };
    }

    /// <summary>A request without buffers: create, cleanup, close.</summary>
    public static IoSubmission WithoutBuffers(WDF_REQUEST_TYPE type) =>
        new(type, null, null, TransferMethod.None, TransferMethod.None);

    /// <summary>A PnP IRP the PnP manager sends (start, remove, ...).</summary>
    public static IoSubmission Pnp(byte minorFunction) =>
        new((WDF_REQUEST_TYPE)Wdm.IRP_MJ_PNP, null, null, TransferMethod.None, TransferMethod.None)
        {
            MinorFunction = minorFunction,
            RequestorMode = KPROCESSOR_MODE.KernelMode,
        };

    /// <summary>The transfer method of a device's reads and writes from its <c>DO_*</c> flags.</summary>
    public static TransferMethod FromDeviceFlags(uint flags) =>
        (flags & Wdm.DO_BUFFERED_IO) != 0 ? TransferMethod.Buffered
        : (flags & Wdm.DO_DIRECT_IO) != 0 ? TransferMethod.Direct
        : TransferMethod.Neither;
}
