using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DriverBuffers.Analyzers.Tests.Engine;

/// <summary>Generated driver code in the shapes that used to cost superlinear time, at any size.</summary>
internal static class WorkShapes
{
    /// <summary>A read callback of <paramref name="statements"/> statements: arithmetic, branches, loops, new pointers into the buffer.</summary>
    public static string LongCallback(int statements, bool insideTry = false)
    {
        var body = new StringBuilder();
        for (var i = 0; i < statements; i++)
        {
            body.Append(Statement(i));
        }

        var inner = insideTry
            ? "try {\n" + body + "} catch (Exception) { total = 0; }\n"
            : body.ToString();
        return "class Driver {\n" +
               "void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n" +
               "NTSTATUS status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);\n" +
               "if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }\n" +
               "nuint total = 0;\n" +
               inner +
               "WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, total);\n" +
               "}\n}\n";
    }

    /// <summary>One statement of <see cref="LongCallback"/>, by its position.</summary>
    private static string Statement(int i) => (i % 5) switch
    {
        0 => F("total += {0};\n", i),
        1 => F("if (total > {0}) {{ buffer.Write<uint>(0, {0}); }}\n", i),
        2 => F("PVOID p{0} = buffer + {1};\n", i, i % 4),
        3 => F("for (int k{0} = 0; k{0} < 2; k{0}++) {{ total++; }}\n", i),
        _ => F("bool flag{0} = total > {0};\n", i),
    };

    /// <summary>A device-control callback with a <paramref name="cases"/>-case IOCTL switch, each case completing the request.</summary>
    public static string IoctlSwitch(int cases)
    {
        var body = new StringBuilder();
        for (var i = 0; i < cases; i++)
        {
            body.Append(F(
                "case {0}: {{ NTSTATUS s{0} = WdfRequestRetrieveInputBuffer(Request, {1}, out PVOID in{0}, out nuint n{0}); " +
                "if (!NT_SUCCESS(s{0})) {{ status = s{0}; break; }} information = in{0}.Read<uint>(0); break; }}\n",
                i, 4 + (i % 8)));
        }

        return "class Driver {\n" +
               "void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode) {\n" +
               "NTSTATUS status = STATUS_SUCCESS; nuint information = 0;\n" +
               "switch (IoControlCode) {\n" + body + "default: status = STATUS_INVALID_PARAMETER; break; }\n" +
               "WdfRequestCompleteWithInformation(Request, status, information);\n" +
               "}\n}\n";
    }

    /// <summary><paramref name="blocks"/> pairs of nested loops that leave with <c>goto</c>.</summary>
    public static string NestedLoopsWithGoto(int blocks)
    {
        var body = new StringBuilder();
        for (var i = 0; i < blocks; i++)
        {
            body.Append(F(
                "for (nuint i{0} = 0; i{0} < size; i{0}++) {{ for (nuint j{0} = 0; j{0} < 4; j{0}++) {{ " +
                "if (buffer.Read<byte>(i{0}) == (byte)j{0}) goto Next{0}; total++; }} }}\nNext{0}: total += {0};\n",
                i));
        }

        return "class Driver {\n" +
               "void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n" +
               "NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 4, out PVOID buffer, out nuint size);\n" +
               "if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }\n" +
               "nuint total = 0;\n" + body +
               "WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, total);\n" +
               "}\n}\n";
    }

    /// <summary>
    /// A callback with <paramref name="handles"/> buffers alive at once (memory objects and pointers of the request and
    /// of memory the driver created), then <paramref name="statements"/> statements that branch on and use them.
    /// </summary>
    public static string LiveHandles(int handles, int statements)
    {
        var body = new StringBuilder();
        for (var i = 0; i < handles; i++)
        {
            body.Append(i % 2 == 0
                ? F("WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY m{0}); PVOID h{0} = WdfMemoryGetBuffer(m{0}, out nuint z{0});\n", i)
                : F("WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, 0x6D656D44, 16, out WDFMEMORY m{0}, out PVOID h{0});\n", i));
        }

        for (var i = 0; i < statements; i++)
        {
            body.Append(F("if (Length > {0}) {{ h{1}.Write<uint>(0, {0}); }} else {{ PVOID t{0} = h{2} + 1; t{0}.Write<byte>(0, 1); }}\n", i, i % handles, (i * 7) % handles));
        }

        return "class Driver {\n" +
               "void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n" +
               body +
               "WdfRequestComplete(Request, STATUS_SUCCESS);\n" +
               "}\n}\n";
    }

    /// <summary>
    /// A transfer set-up with <paramref name="handles"/> handles alive at once, as a scatter/gather driver writes it (the
    /// benchmarks' <c>handles</c> shape): every handle starts as <c>NULL</c>/<c>default</c>, memory objects and pool blocks
    /// described by MDLs are created one after the other (each failure jumps to one cleanup label), chained by copies of a
    /// known size, then released in reverse at <c>Exit</c>, each behind a test against <c>NULL</c>/<c>default</c>.
    /// </summary>
    public static string HandlesWithCleanupLabel(int handles)
    {
        var body = new StringBuilder();
        for (var i = 0; i < handles; i++)
        {
            body.Append(i % 2 == 0 ? F("WDFMEMORY memory{0} = default; PVOID buffer{0} = NULL;\n", i) : F("PVOID block{0} = NULL; PMDL mdl{0} = default;\n", i));
        }

        for (var i = 0; i < handles; i++)
        {
            body.Append(i % 2 == 0
                ? F("status = WdfMemoryCreate(WDF_NO_OBJECT_ATTRIBUTES, NonPagedPoolNx, PoolTag, BlockSize, out memory{0}, out buffer{0});\n" +
                    "if (!NT_SUCCESS(status)) {{ goto Exit; }}\n", i)
                : F("block{0} = ExAllocatePool2(POOL_FLAG_NON_PAGED, BlockSize, PoolTag);\n" +
                    "if (block{0} == NULL) {{ status = STATUS_INSUFFICIENT_RESOURCES; goto Exit; }}\n" +
                    "mdl{0} = IoAllocateMdl(block{0}, (uint)BlockSize, false, false, null);\n" +
                    "if (mdl{0} == default) {{ status = STATUS_INSUFFICIENT_RESOURCES; goto Exit; }}\n" +
                    "MmBuildMdlForNonPagedPool(mdl{0});\n", i));
        }

        body.Append("RtlCopyMemory(buffer0, input, BlockSize);\n");
        for (var i = 1; i < handles; i++)
        {
            var from = (i - 1) % 2 == 0 ? F("buffer{0}", i - 1) : F("block{0}", i - 1);
            var to = i % 2 == 0 ? F("buffer{0}", i) : F("block{0}", i);
            body.Append(F("RtlCopyMemory({0}, {1}, BlockSize);\n{0}.Write<uint>({2}, {3}u);\n", to, from, 4 * (i % 16), i));
        }

        body.Append("status = STATUS_SUCCESS;\nExit:\n");
        for (var i = handles - 1; i >= 0; i--)
        {
            body.Append(i % 2 == 0
                ? F("if (memory{0} != default) {{ WdfObjectDelete(memory{0}); }}\n", i)
                : F("if (mdl{0} != default) {{ IoFreeMdl(mdl{0}); }}\nif (block{0} != NULL) {{ ExFreePoolWithTag(block{0}, PoolTag); }}\n", i));
        }

        return "class Driver {\n" +
               "const uint PoolTag = 0x73666E54;\nconst nuint BlockSize = 64;\n" +
               "void EvtIoWrite(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n" +
               "NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, BlockSize, out PVOID input, out nuint inputLength);\n" +
               "if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }\n" +
               body +
               "WdfRequestCompleteWithInformation(Request, status, NT_SUCCESS(status) ? inputLength : 0);\n" +
               "}\n}\n";
    }

    /// <summary>
    /// <paramref name="classes"/> drivers, one file each, that keep a driver-created request in their device context
    /// (all named alike: <c>Reader</c>, <c>EvtIoRead</c>, <c>ReadDone</c>), format it with the application's memory,
    /// send it and complete the original from the completion routine after reusing it.
    /// </summary>
    public static IEnumerable<(string Path, string Text)> FieldHeldRequests(int classes)
    {
        for (var i = 0; i < classes; i++)
        {
            yield return (F("/0/Driver{0}.cs", i), F(
                "namespace Driver{0} {{\n" +
                "class DEVICE_CONTEXT {{ public WDFREQUEST Reader; public WDFREQUEST Original; public WDFIOTARGET Target; }}\n" +
                "class Driver {{\n" +
                "DEVICE_CONTEXT Context = new();\n" +
                "void PrepareHardware() {{ WdfRequestCreate(WDF_NO_OBJECT_ATTRIBUTES, Context.Target, out Context.Reader); }}\n" +
                "void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {{\n" +
                "var ctx = Context;\n" +
                "if (!NT_SUCCESS(WdfRequestRetrieveOutputMemory(Request, out var memory))) {{ WdfRequestComplete(Request, STATUS_INVALID_PARAMETER); return; }}\n" +
                "ctx.Original = Request;\n" +
                "WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);\n" +
                "WdfRequestReuse(ctx.Reader, reuse);\n" +
                "WdfIoTargetFormatRequestForRead(ctx.Target, ctx.Reader, memory, null, null);\n" +
                "WdfRequestSetCompletionRoutine(ctx.Reader, ReadDone, ctx);\n" +
                "if (!WdfRequestSend(ctx.Reader, ctx.Target, WDF_NO_SEND_OPTIONS)) {{ WdfRequestReuse(ctx.Reader, reuse); WdfRequestComplete(Request, STATUS_UNSUCCESSFUL); }}\n" +
                "}}\n" +
                "static void ReadDone(WDFREQUEST Request, WDFIOTARGET Target, WDF_REQUEST_COMPLETION_PARAMS Params, object? Context) {{\n" +
                "var ctx = (DEVICE_CONTEXT)Context!;\n" +
                "var status = Params.IoStatus.Status;\n" +
                "WDF_REQUEST_REUSE_PARAMS_INIT(out var reuse, WDF_REQUEST_REUSE_NO_FLAGS, STATUS_SUCCESS);\n" +
                "WdfRequestReuse(Request, reuse);\n" +
                "WdfRequestComplete(ctx.Original, status);\n" +
                "}}\n" +
                "}}\n}}\n",
                i));
        }
    }

    /// <summary>A callback that hands its request down a chain of <paramref name="depth"/> helpers; the last completes it.</summary>
    public static string HelperChain(int depth)
    {
        var helpers = new StringBuilder();
        for (var i = 1; i < depth; i++)
        {
            helpers.Append(F("static void Level{0}(WDFREQUEST request, PVOID buffer) {{ buffer.Write<byte>(0, {0}); Level{1}(request, buffer); }}\n", i, i + 1));
        }

        helpers.Append(F("static void Level{0}(WDFREQUEST request, PVOID buffer) {{ WdfRequestComplete(request, STATUS_SUCCESS); }}\n", depth));
        return "class Driver {\n" +
               "void EvtIoRead(WDFQUEUE Queue, WDFREQUEST Request, nuint Length) {\n" +
               "WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID buffer, out nuint size);\n" +
               "Level1(Request, buffer);\n" +
               "}\n" + helpers + "}\n";
    }

    /// <summary>
    /// A device-control callback of <paramref name="statements"/> statements that copies with many sizes: pool blocks of
    /// different sizes, lengths bounded by comparisons and <c>Math.Min</c>, raw and checked copies, lengths reassigned.
    /// </summary>
    public static string CopyHeavy(int statements, bool insideTry = false)
    {
        var body = new StringBuilder();
        for (var i = 0; i < statements; i++)
        {
            var g = i - (i % 6);
            body.Append((i % 6) switch
            {
                0 => F("nuint len{0} = Math.Min(inLen, (nuint){1});\n", g, 4 + (i % 32)),
                1 => F("PVOID block{0} = ExAllocatePool2(POOL_FLAG_NON_PAGED, {1}, 0x6B6F6F4C);\n", g, 8 + (i % 64)),
                2 => F("if (len{0} <= outLen) {{ RtlCopyMemory(outBuf, inBuf, len{0}); }}\n", g),
                3 => F("if (block{0} != null) {{ RtlCopyMemory(block{0}, inBuf, 4); ExFreePoolWithTag(block{0}, 0x6B6F6F4C); }}\n", g),
                4 => F("total = total + len{0};\n", g),
                _ => F("status = WdfMemoryCopyToBuffer(memory, 0, inBuf, 4); if (!NT_SUCCESS(status)) {{ total = 0; }}\n", g),
            });
        }

        var inner = insideTry ? "try {\n" + body + "} catch (Exception) { if (!NT_SUCCESS(status)) { total = 0; } }\n" : body.ToString();
        return "class Driver {\n" +
               "void EvtIoDeviceControl(WDFQUEUE Queue, WDFREQUEST Request, nuint OutputBufferLength, nuint InputBufferLength, uint IoControlCode) {\n" +
               "NTSTATUS status = WdfRequestRetrieveInputBuffer(Request, 4, out PVOID inBuf, out nuint inLen);\n" +
               "if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }\n" +
               "status = WdfRequestRetrieveOutputBuffer(Request, 4, out PVOID outBuf, out nuint outLen);\n" +
               "if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }\n" +
               "status = WdfRequestRetrieveOutputMemory(Request, out WDFMEMORY memory);\n" +
               "if (!NT_SUCCESS(status)) { WdfRequestComplete(Request, status); return; }\n" +
               "nuint total = 0;\n" +
               inner +
               "WdfRequestCompleteWithInformation(Request, STATUS_SUCCESS, 4);\n" +
               "}\n}\n";
    }

    /// <summary>Ordinary code (collections, LINQ, strings, lambdas) in a project that references the API.</summary>
    public static string OrdinaryCode(int methods)
    {
        var body = new StringBuilder("using System.Collections.Generic; using System.Linq;\nclass Ordinary {\n");
        for (var i = 0; i < methods; i++)
        {
            body.Append(F(
                "int M{0}(List<int> items, string text) {{ var total = items.Where(x => x > {0}).Select(x => x * 2).Sum(); " +
                "foreach (var c in text) {{ if (char.IsDigit(c)) total++; }} System.Func<int, int> f = y => y + total; return f({0}); }}\n",
                i));
        }

        return body + "}\n";
    }

    private static string F(string format, params object[] arguments) => string.Format(CultureInfo.InvariantCulture, format, arguments);

    /// <summary>
    /// A device extension with a pool block in a field (<c>FileContext</c>, the same name in every class), allocated with
    /// one tag at create and freed with another at close (DRV034 through the field, once per class).
    /// </summary>
    public static string ExtensionWithFileContext(int i) => string.Format(CultureInfo.InvariantCulture, """
        class Extension{0}
        {{
            public PVOID FileContext;
        }}

        class Driver{0}
        {{
            private const uint Tag = 0x4D415343;
            private const uint FileContextTag = 0x4346534D;

            NTSTATUS Create(Extension{0} extension)
            {{
                PVOID fileContext = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, Tag);
                if (fileContext == NULL)
                {{
                    return STATUS_INSUFFICIENT_RESOURCES;
                }}

                extension.FileContext = fileContext;
                return STATUS_SUCCESS;
            }}

            void Close(Extension{0} extension)
            {{
                ExFreePoolWithTag(extension.FileContext, FileContextTag);
                extension.FileContext = NULL;
            }}
        }}
        """, i);
}
