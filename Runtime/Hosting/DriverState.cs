namespace DriverBuffers.Hosting;

/// <summary>Where a driver hosted by a <see cref="WholeDriverHost"/> is in its life.</summary>
public enum DriverState
{
    /// <summary><c>DriverEntry</c> has not run.</summary>
    NotLoaded,
    /// <summary><c>DriverEntry</c> succeeded.</summary>
    Loaded,
    /// <summary>The driver attached its device (AddDevice succeeded).</summary>
    DeviceAdded,
    /// <summary>The device started; it takes I/O.</summary>
    Started,
    /// <summary>The (KMDF) device left D0 for a while; <c>Resume</c> brings it back.</summary>
    Suspended,
    /// <summary>The device was removed.</summary>
    Removed,
    /// <summary>The driver was unloaded.</summary>
    Unloaded,
    /// <summary>A lifecycle step returned a failure status.</summary>
    Failed,
}

/// <summary>Which driver model a hosted driver uses.</summary>
public enum DriverModel
{
    /// <summary>Not known before <c>DriverEntry</c> ran.</summary>
    Unknown,
    /// <summary>KMDF: <c>DriverEntry</c> called <c>WdfDriverCreate</c>.</summary>
    Kmdf,
    /// <summary>WDM: the driver fills its driver object's dispatch table itself.</summary>
    Wdm,
}
