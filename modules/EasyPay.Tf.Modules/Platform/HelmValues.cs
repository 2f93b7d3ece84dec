using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;
using YamlDotNet.Serialization.NamingConventions;

namespace EasyPay.Tf.Modules.Platform;

/// <summary>Serializes typed values objects to the YAML a helm_release takes. Property names become
/// camelCase keys (override with [YamlMember(Alias = ...)]); nulls are omitted so chart defaults apply;
/// every string is double-quoted, so values that hold Terraform tokens (ARNs, endpoints resolved at apply
/// time) or look like numbers/booleans stay strings in the chart.</summary>
public static class HelmValues
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithEventEmitter(next => new QuotedStrings(next))
        .DisableAliases()
        .Build();

    public static string ToYaml(object values) => Serializer.Serialize(values);

    /// <summary>Double-quotes string values (never keys): tracks, per open mapping, whether the next
    /// scalar is a key or a value.</summary>
    private sealed class QuotedStrings(IEventEmitter next) : ChainedEventEmitter(next)
    {
        private sealed class Level(bool isMapping)
        {
            public bool IsMapping { get; } = isMapping;
            public bool ExpectKey { get; set; } = true;
        }

        private readonly Stack<Level> _levels = new();

        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            var isKey = _levels.TryPeek(out var level) && level.IsMapping && level.ExpectKey;
            if (!isKey && eventInfo.Source.Type == typeof(string) && eventInfo.Source.Value is string)
            {
                eventInfo.Style = ScalarStyle.DoubleQuoted;
            }
            Advance();
            base.Emit(eventInfo, emitter);
        }

        public override void Emit(MappingStartEventInfo eventInfo, IEmitter emitter)
        {
            Advance();
            _levels.Push(new Level(isMapping: true));
            base.Emit(eventInfo, emitter);
        }

        public override void Emit(MappingEndEventInfo eventInfo, IEmitter emitter)
        {
            _levels.Pop();
            base.Emit(eventInfo, emitter);
        }

        public override void Emit(SequenceStartEventInfo eventInfo, IEmitter emitter)
        {
            Advance();
            _levels.Push(new Level(isMapping: false));
            base.Emit(eventInfo, emitter);
        }

        public override void Emit(SequenceEndEventInfo eventInfo, IEmitter emitter)
        {
            _levels.Pop();
            base.Emit(eventInfo, emitter);
        }

        private void Advance()
        {
            if (_levels.TryPeek(out var level) && level.IsMapping)
            {
                level.ExpectKey = !level.ExpectKey;
            }
        }
    }
}
