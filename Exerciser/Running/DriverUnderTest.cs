using System;

namespace DriverBuffers.Exercising.Running;

/// <summary>One driver of the assembly (a type with DriverEntry) and how to start a fresh session of it.</summary>
internal sealed record DriverUnderTest(string Name, Func<IDriverSession> CreateSession);
