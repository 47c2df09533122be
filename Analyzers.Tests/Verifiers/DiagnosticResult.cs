using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace DriverBuffers.Analyzers.Tests.Verifiers;

/// <summary>Options for validating an expected diagnostic (mirrors Microsoft.CodeAnalysis.Testing).</summary>
[Flags]
public enum DiagnosticOptions
{
    None = 0,

    /// <summary>Do not compare <see cref="Diagnostic.AdditionalLocations"/>.</summary>
    IgnoreAdditionalLocations = 1,

    /// <summary>Do not compare the severity.</summary>
    IgnoreSeverity = 2,
}

/// <summary>Options for validating one expected location (mirrors Microsoft.CodeAnalysis.Testing).</summary>
[Flags]
public enum DiagnosticLocationOptions
{
    None = 0,

    /// <summary>Only the start of the span is compared.</summary>
    IgnoreLength = 1,

    /// <summary>The location is a markup key (<c>{|#0:…|}</c>); its column holds the key.</summary>
    InterpretAsMarkupKey = 2,
}

/// <summary>One expected location of a diagnostic.</summary>
public readonly struct DiagnosticLocation
{
    public DiagnosticLocation(FileLinePositionSpan span, DiagnosticLocationOptions options)
    {
        Span = span;
        Options = options;
    }

    public FileLinePositionSpan Span { get; }

    public DiagnosticLocationOptions Options { get; }
}

/// <summary>
/// An expected diagnostic. Immutable; every <c>With…</c> method returns a changed copy.
/// The first location is the primary <see cref="Diagnostic.Location"/>, the others must match
/// <see cref="Diagnostic.AdditionalLocations"/> in order unless
/// <see cref="DiagnosticOptions.IgnoreAdditionalLocations"/> is set.
/// </summary>
public readonly struct DiagnosticResult
{
    public static readonly DiagnosticResult[] EmptyDiagnosticResults = Array.Empty<DiagnosticResult>();

    private static readonly Regex Placeholder = new(@"\{[0-9]+(,[^}:]*)?(:[^}]*)?\}", RegexOptions.CultureInvariant);

    private readonly ImmutableArray<DiagnosticLocation> _spans;
    private readonly bool _suppressMessage;
    private readonly string? _message;

    public DiagnosticResult(string id, DiagnosticSeverity severity)
        : this()
    {
        Id = id;
        Severity = severity;
    }

    public DiagnosticResult(DiagnosticDescriptor descriptor)
        : this()
    {
        Id = descriptor.Id;
        Severity = descriptor.DefaultSeverity;
        MessageFormat = descriptor.MessageFormat;
    }

    private DiagnosticResult(
        DiagnosticResult other,
        ImmutableArray<DiagnosticLocation>? spans = null,
        (bool suppress, string? message)? message = null,
        DiagnosticSeverity? severity = null,
        DiagnosticOptions? options = null,
        LocalizableString? messageFormat = null,
        object?[]? messageArguments = null)
    {
        Id = other.Id;
        _spans = spans ?? other._spans;
        _suppressMessage = message?.suppress ?? other._suppressMessage;
        _message = message is null ? other._message : message.Value.message;
        Severity = severity ?? other.Severity;
        Options = options ?? other.Options;
        MessageFormat = messageFormat ?? other.MessageFormat;
        MessageArguments = messageArguments ?? other.MessageArguments;
    }

    public string Id { get; }

    public DiagnosticSeverity Severity { get; }

    public DiagnosticOptions Options { get; }

    public LocalizableString? MessageFormat { get; }

    public object?[]? MessageArguments { get; }

    public ImmutableArray<DiagnosticLocation> Spans => _spans.IsDefault ? ImmutableArray<DiagnosticLocation>.Empty : _spans;

    public bool HasLocation => !Spans.IsEmpty;

    /// <summary>
    /// The expected message, or <see langword="null"/> when the message is not checked. Computed from
    /// <see cref="MessageFormat"/> and <see cref="MessageArguments"/> unless set by <see cref="WithMessage"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The format's placeholders and the arguments do not agree in number.</exception>
    public string? Message
    {
        get
        {
            if (_suppressMessage)
            {
                return null;
            }

            if (_message is not null)
            {
                return _message;
            }

            if (MessageFormat is null)
            {
                return null;
            }

            var format = MessageFormat.ToString(CultureInfo.InvariantCulture);
            var placeholders = Placeholder.Matches(format).Select(m => m.Value.TrimStart('{').Split(',', ':', '}')[0]).Distinct().Count();
            var arguments = MessageArguments ?? Array.Empty<object?>();
            if (placeholders != arguments.Length)
            {
                throw new ArgumentException(
                    $"Diagnostic {Id}: the message format \"{format}\" expects {placeholders} argument(s), but {arguments.Length} were given (use WithArguments, or WithMessage(null) to skip the message check).");
            }

            return string.Format(CultureInfo.InvariantCulture, format, arguments);
        }
    }

    public static DiagnosticResult CompilerError(string identifier) => new(identifier, DiagnosticSeverity.Error);

    public static DiagnosticResult CompilerWarning(string identifier) => new(identifier, DiagnosticSeverity.Warning);

    public DiagnosticResult WithSeverity(DiagnosticSeverity severity) => new(this, severity: severity);

    public DiagnosticResult WithOptions(DiagnosticOptions options) => new(this, options: options);

    public DiagnosticResult WithArguments(params object?[] arguments) => new(this, messageArguments: arguments);

    /// <summary>Expects exactly this message; <see langword="null"/> turns the message check off.</summary>
    public DiagnosticResult WithMessage(string? message) => new(this, message: (message is null, message));

    public DiagnosticResult WithMessageFormat(LocalizableString messageFormat) => new(this, messageFormat: messageFormat);

    public DiagnosticResult WithNoLocation() => new(this, spans: ImmutableArray<DiagnosticLocation>.Empty);

    /// <summary>Adds a location by 1-based line and column; only its start is compared.</summary>
    public DiagnosticResult WithLocation(int line, int column) => WithLocation(string.Empty, line, column);

    public DiagnosticResult WithLocation(string path, int line, int column) => WithLocation(path, new LinePosition(line - 1, column - 1));

    public DiagnosticResult WithLocation(LinePosition location) => WithLocation(string.Empty, location);

    public DiagnosticResult WithLocation(string path, LinePosition location)
        => AppendSpan(new FileLinePositionSpan(path, location, location), DiagnosticLocationOptions.IgnoreLength);

    /// <summary>Adds the location marked <c>{|#key:…|}</c> in the test markup.</summary>
    public DiagnosticResult WithLocation(int markupKey) => WithLocation(markupKey, DiagnosticLocationOptions.None);

    public DiagnosticResult WithLocation(int markupKey, DiagnosticLocationOptions options)
    {
        var position = new LinePosition(0, markupKey);
        return AppendSpan(new FileLinePositionSpan(string.Empty, position, position), options | DiagnosticLocationOptions.InterpretAsMarkupKey);
    }

    /// <summary>Adds a span by 1-based start and end line and column (end exclusive, as Roslyn reports it).</summary>
    public DiagnosticResult WithSpan(int startLine, int startColumn, int endLine, int endColumn)
        => WithSpan(string.Empty, startLine, startColumn, endLine, endColumn);

    public DiagnosticResult WithSpan(string path, int startLine, int startColumn, int endLine, int endColumn)
        => WithSpan(new FileLinePositionSpan(path, new LinePosition(startLine - 1, startColumn - 1), new LinePosition(endLine - 1, endColumn - 1)));

    public DiagnosticResult WithSpan(FileLinePositionSpan span) => AppendSpan(span, DiagnosticLocationOptions.None);

    public DiagnosticResult WithSpan(FileLinePositionSpan span, DiagnosticLocationOptions options) => AppendSpan(span, options);

    /// <summary>Gives locations without a path (not markup keys) the path <paramref name="path"/>.</summary>
    public DiagnosticResult WithDefaultPath(string path)
        => new(this, spans: Spans.Select(s =>
            s.Span.Path.Length == 0 && !s.Options.HasFlag(DiagnosticLocationOptions.InterpretAsMarkupKey)
                ? new DiagnosticLocation(new FileLinePositionSpan(path, s.Span.Span), s.Options)
                : s).ToImmutableArray());

    public DiagnosticResult WithLineOffset(int offset)
        => new(this, spans: Spans.Select(s =>
            s.Options.HasFlag(DiagnosticLocationOptions.InterpretAsMarkupKey)
                ? s
                : new DiagnosticLocation(
                    new FileLinePositionSpan(
                        s.Span.Path,
                        new LinePosition(s.Span.StartLinePosition.Line + offset, s.Span.StartLinePosition.Character),
                        new LinePosition(s.Span.EndLinePosition.Line + offset, s.Span.EndLinePosition.Character)),
                    s.Options)).ToImmutableArray());

    internal DiagnosticResult WithSpans(ImmutableArray<DiagnosticLocation> spans) => new(this, spans: spans);

    private DiagnosticResult AppendSpan(FileLinePositionSpan span, DiagnosticLocationOptions options)
        => new(this, spans: Spans.Add(new DiagnosticLocation(span, options)));

    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append(Id).Append(' ').Append(Severity);
        foreach (var location in Spans)
        {
            builder.Append(' ');
            if (location.Options.HasFlag(DiagnosticLocationOptions.InterpretAsMarkupKey))
            {
                builder.Append("{|#").Append(location.Span.StartLinePosition.Character).Append("|}");
                continue;
            }

            builder.Append(DiagnosticFormatter.FormatSpan(location.Span, location.Options.HasFlag(DiagnosticLocationOptions.IgnoreLength)));
        }

        if (!HasLocation)
        {
            builder.Append(" (no location)");
        }

        if (_suppressMessage)
        {
            builder.Append(": <message not checked>");
        }
        else if (_message is not null || MessageFormat is not null)
        {
            string text;
            try
            {
                text = Message ?? string.Empty;
            }
            catch (ArgumentException)
            {
                text = MessageFormat?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
            }

            builder.Append(": ").Append(text);
        }
        else if (MessageArguments is { Length: > 0 } arguments)
        {
            builder.Append(": arguments ").Append(string.Join(", ", arguments.Select(a => $"\"{a}\"")));
        }

        return builder.ToString();
    }
}
