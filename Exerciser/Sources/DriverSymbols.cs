using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;

namespace DriverBuffers.Exercising.Sources;

/// <summary>
/// The driver assembly's portable PDB (beside it or embedded): maps a method and IL offset to the source line
/// through the sequence points, and lists the source documents and compilation options the static analysis needs.
/// </summary>
internal sealed class DriverSymbols : IDisposable
{
    // Custom debug information kinds Roslyn writes (see the Portable PDB specification).
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
    private static readonly Guid CompilationOptionsKind = new("B5FEEC05-8CD0-4A83-96DA-466284BB4BD8");

    private readonly MetadataReaderProvider provider;
    private readonly MetadataReader pdb;
    private readonly Dictionary<DocumentHandle, string?> paths = new();
    private readonly IReadOnlyList<string> searchRoots;

    private DriverSymbols(MetadataReaderProvider provider, IReadOnlyList<string> searchRoots)
    {
        this.provider = provider;
        pdb = provider.GetMetadataReader();
        this.searchRoots = searchRoots;
    }

    /// <summary>Opens the PDB of <paramref name="assemblyPath"/>, or returns null when it has none (or not a portable one).</summary>
    public static DriverSymbols? Open(string assemblyPath, IReadOnlyList<string> searchRoots)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        try
        {
            if (pe.TryOpenAssociatedPortablePdb(assemblyPath, path => File.Exists(path) ? File.OpenRead(path) : null,
                    out var provider, out _) && provider is not null)
            {
                return new DriverSymbols(provider, searchRoots);
            }
        }
        catch (BadImageFormatException)
        {
            // A Windows PDB or a damaged one: no line information.
        }
        return null;
    }

    /// <summary>The source line of <paramref name="ilOffset"/> in <paramref name="method"/>, when the PDB has it.</summary>
    public SourceLocation? Locate(MethodBase method, int ilOffset)
    {
        var points = SequencePoints(method);
        SequencePoint? best = null;
        foreach (var point in points)
        {
            if (point.Offset > ilOffset)
            {
                break;
            }
            if (!point.IsHidden)
            {
                best = point;
            }
        }
        best ??= points.FirstOrDefault(p => !p.IsHidden);
        return best is { } found ? ToLocation(found) : null;
    }

    /// <summary>Where <paramref name="method"/>'s body starts (its first sequence point).</summary>
    public SourceLocation? MethodStart(MethodBase method) =>
        SequencePoints(method).FirstOrDefault(p => !p.IsHidden) is { Document.IsNil: false } point ? ToLocation(point) : null;

    /// <summary>
    /// The lines <paramref name="method"/>'s body spans, widened upwards to take in its declaration (a rule that
    /// reports at the method's name lands there).
    /// </summary>
    public (int First, int Last)? LineRange(MethodBase method)
    {
        var lines = SequencePoints(method).Where(p => !p.IsHidden).Select(p => (p.StartLine, p.EndLine)).ToList();
        if (lines.Count == 0)
        {
            return null;
        }
        const int declarationLines = 3;
        return (Math.Max(1, lines.Min(l => l.StartLine) - declarationLines), lines.Max(l => l.EndLine));
    }

    /// <summary>The C# documents the assembly was compiled from, with their text (from disk, or embedded in the PDB).</summary>
    public IReadOnlyList<SourceDocument> Documents()
    {
        var documents = new List<SourceDocument>();
        foreach (var handle in pdb.Documents)
        {
            var document = pdb.GetDocument(handle);
            string name = pdb.GetString(document.Name);
            if (!name.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            string? path = PathOf(handle);
            string? text = path is not null ? File.ReadAllText(path) : EmbeddedText(handle);
            documents.Add(new SourceDocument(path ?? name, text));
        }
        return documents;
    }

    /// <summary>The compiler options Roslyn records in the PDB ("define", "language-version", ...).</summary>
    public IReadOnlyDictionary<string, string> CompilationOptions()
    {
        var options = new Dictionary<string, string>();
        foreach (var handle in pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            var information = pdb.GetCustomDebugInformation(handle);
            if (pdb.GetGuid(information.Kind) != CompilationOptionsKind)
            {
                continue;
            }
            var parts = Encoding.UTF8.GetString(pdb.GetBlobBytes(information.Value)).Split('\0');
            for (int i = 0; i + 1 < parts.Length; i += 2)
            {
                options[parts[i]] = parts[i + 1];
            }
        }
        return options;
    }

    public void Dispose() => provider.Dispose();

    private IReadOnlyList<SequencePoint> SequencePoints(MethodBase method)
    {
        int token = method.MetadataToken;
        if ((token >> 24) != 0x06)
        {
            return Array.Empty<SequencePoint>();
        }
        var handle = MetadataTokens.MethodDebugInformationHandle(token & 0xFFFFFF);
        try
        {
            return pdb.GetMethodDebugInformation(handle).GetSequencePoints().ToList();
        }
        catch (BadImageFormatException)
        {
            return Array.Empty<SequencePoint>();
        }
    }

    private SourceLocation ToLocation(SequencePoint point)
    {
        string path = PathOf(point.Document) ?? pdb.GetString(pdb.GetDocument(point.Document).Name);
        return new SourceLocation(path, point.StartLine, point.StartColumn);
    }

    private string? PathOf(DocumentHandle handle)
    {
        lock (paths)
        {
            if (!paths.TryGetValue(handle, out var path))
            {
                path = SourcePaths.Find(pdb.GetString(pdb.GetDocument(handle).Name), searchRoots);
                paths[handle] = path;
            }
            return path;
        }
    }

    /// <summary>Source embedded in the PDB (<c>EmbedAllSources</c>): a 4-byte length (0 = not compressed) then the text, deflated when the length is set.</summary>
    private string? EmbeddedText(DocumentHandle handle)
    {
        foreach (var cdi in pdb.GetCustomDebugInformation(handle))
        {
            var information = pdb.GetCustomDebugInformation(cdi);
            if (pdb.GetGuid(information.Kind) != EmbeddedSourceKind)
            {
                continue;
            }
            var blob = pdb.GetBlobBytes(information.Value);
            int uncompressed = BitConverter.ToInt32(blob, 0);
            if (uncompressed == 0)
            {
                return Encoding.UTF8.GetString(blob, 4, blob.Length - 4);
            }
            using var input = new MemoryStream(blob, 4, blob.Length - 4);
            using var deflate = new System.IO.Compression.DeflateStream(input, System.IO.Compression.CompressionMode.Decompress);
            using var reader = new StreamReader(deflate, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        return null;
    }
}

/// <summary>A source file of the driver: its path (on disk, or as the PDB names it) and its text (null when neither on disk nor embedded).</summary>
internal sealed record SourceDocument(string Path, string? Text);
