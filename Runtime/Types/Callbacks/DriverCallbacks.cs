namespace DriverBuffers;

/// <summary>
/// The driver's entry point (C's <c>DRIVER_INITIALIZE</c>): <c>static NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject,
/// UNICODE_STRING RegistryPath)</c>. <paramref name="RegistryPath"/> dies when it returns (keep a copy, DRV046).
/// </summary>
public delegate NTSTATUS DRIVER_INITIALIZE(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath);

/// <summary>A WDM driver's unload routine (C's <c>DRIVER_UNLOAD</c>): delete the devices, free what the driver allocated.</summary>
public delegate void DRIVER_UNLOAD(DRIVER_OBJECT DriverObject);

/// <summary>A WDM driver's AddDevice routine (C's <c>DRIVER_ADD_DEVICE</c>): create a device and attach it above <paramref name="PhysicalDeviceObject"/>.</summary>
public delegate NTSTATUS DRIVER_ADD_DEVICE(DRIVER_OBJECT DriverObject, DEVICE_OBJECT PhysicalDeviceObject);

/// <summary>A KMDF driver's device-add callback (C's <c>EVT_WDF_DRIVER_DEVICE_ADD</c>): configure <paramref name="DeviceInit"/>, then <c>WdfDeviceCreate(ref DeviceInit, ...)</c>.</summary>
public delegate NTSTATUS EVT_WDF_DRIVER_DEVICE_ADD(WDFDRIVER Driver, WDFDEVICE_INIT DeviceInit);

/// <summary>A KMDF driver's unload callback (C's <c>EVT_WDF_DRIVER_UNLOAD</c>).</summary>
public delegate void EVT_WDF_DRIVER_UNLOAD(WDFDRIVER Driver);
