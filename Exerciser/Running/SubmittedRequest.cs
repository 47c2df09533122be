using DriverBuffers.Exercising.Generation;
using DriverBuffers.Hosting;

namespace DriverBuffers.Exercising.Running;

/// <summary>A generated request as the application holds it once sent: the host's <see cref="IoResult"/>.</summary>
internal sealed class SubmittedRequest(GeneratedRequest request, IoResult result) : ISubmittedRequest
{
    /// <summary>
    /// The application sends <paramref name="request"/> through <paramref name="host"/>, tagged with it (what the driver
    /// sends on its behalf finds it through <see cref="TargetIoRequest.Origin"/>).
    /// </summary>
    public static SubmittedRequest Send(DriverHostBase host, GeneratedRequest request)
    {
        host.ApplicationTag = request;
        try
        {
            return new(request, Issue(host, request));
        }
        finally
        {
            host.ApplicationTag = null;
        }
    }

    private static IoResult Issue(DriverHostBase host, GeneratedRequest request) => request.Kind switch
    {
        RequestKind.Read => host.Read(request.Length),
        RequestKind.Write => host.Write(request.InputData(request.Length)),
        RequestKind.InternalDeviceControl => host.InternalDeviceControl(request.IoControlCode,
            request.InputLength == 0 ? null : request.InputData(request.InputLength), request.OutputLength),
        _ => host.DeviceIoControl(request.IoControlCode,
            request.InputLength == 0 ? null : request.InputData(request.InputLength), request.OutputLength),
    };

    /// <summary>The host's result for the request.</summary>
    public IoResult Result => result;

    public GeneratedRequest Request => request;

    public string HandleName => result.Request;

    public bool IsCompleted => result.IsCompleted;

    public bool Cancel() => result.Cancel();
}
