import {
  Alert,
  Button,
  ButtonRow,
  Flex,
  Heading,
  Input,
  NumberInput,
  Select,
  Text,
  Toggle,
} from '@hubspot/ui-extensions';
import type { RuleSignal } from '@pulse/shared/recommendations/rules';
import { useState } from 'react';

import {
  describeSignal,
  type RuleDraft,
  type SignalDraft,
  signalFromDraft,
  signalInputs,
  signalTypeLabels,
} from './rule-draft';

export type FieldErrors = Record<string, string>;

const emptySignal: SignalDraft = { type: 'renewal_within_days', number: 90, text: '', weight: 20 };

/** Add or edit one recommendation rule. Field errors come from the server's 400 (`body.<field>`). */
export function RuleForm({
  initial,
  title,
  saving,
  error,
  fieldErrors,
  onSave,
  onCancel,
}: {
  initial: RuleDraft;
  title: string;
  saving: boolean;
  error: string | null;
  fieldErrors: FieldErrors;
  onSave: (draft: RuleDraft) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [signal, setSignal] = useState<SignalDraft>(emptySignal);
  const update = (change: Partial<RuleDraft>) => setDraft((current) => ({ ...current, ...change }));
  const fieldError = (field: string) =>
    fieldErrors[field] ? { error: true, validationMessage: fieldErrors[field] } : {};
  const inputs = signalInputs(signal.type);
  const optionalNumber = (value: number) => (Number.isFinite(value) ? value : null);

  return (
    <Flex direction="column" gap="sm" testId="rule-form">
      <Heading>{title}</Heading>
      {error ? (
        <Alert title="The rule was not saved" variant="error" testId="rule-error">
          {error}
        </Alert>
      ) : null}
      <Input
        label="Product to recommend (product id)"
        name="productId"
        value={draft.productId}
        required
        onChange={(productId) => update({ productId })}
        {...fieldError('productId')}
      />
      <NumberInput
        label="Base score (0-100)"
        name="baseScore"
        value={draft.baseScore}
        min={0}
        max={100}
        onChange={(baseScore) => update({ baseScore: Number.isFinite(baseScore) ? baseScore : 0 })}
        {...fieldError('baseScore')}
      />
      <Input
        label="Prerequisites (product ids, comma-separated)"
        name="prerequisites"
        value={draft.prerequisites}
        onChange={(prerequisites) => update({ prerequisites })}
        {...fieldError('prerequisites')}
      />
      <Input
        label="Exclusions (product ids, comma-separated)"
        name="exclusions"
        value={draft.exclusions}
        onChange={(exclusions) => update({ exclusions })}
        {...fieldError('exclusions')}
      />
      <Flex direction="row" gap="md">
        <NumberInput
          label="Min company size (employees)"
          name="minEmployees"
          value={draft.minEmployees ?? undefined}
          min={0}
          onChange={(value) => update({ minEmployees: optionalNumber(value) })}
          {...fieldError('minEmployees')}
        />
        <NumberInput
          label="Max company size (employees)"
          name="maxEmployees"
          value={draft.maxEmployees ?? undefined}
          min={0}
          onChange={(value) => update({ maxEmployees: optionalNumber(value) })}
          {...fieldError('maxEmployees')}
        />
      </Flex>
      <Input
        label="Ideal industries (comma-separated)"
        name="industries"
        value={draft.industries}
        onChange={(industries) => update({ industries })}
        {...fieldError('industries')}
      />
      <Toggle label="Active" name="active" checked={draft.active} onChange={(active) => update({ active })} />
      <Heading>Trigger signals</Heading>
      {draft.signals.length === 0 ? (
        <Text variant="microcopy">No signals: the base score applies.</Text>
      ) : null}
      {draft.signals.map((item: RuleSignal, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: signals have no id and their rows hold no state
        <Flex key={`${item.type}-${index}`} direction="row" gap="sm" align="center">
          <Text>{describeSignal(item)}</Text>
          <Button
            size="xs"
            variant="transparent"
            onClick={() => update({ signals: draft.signals.filter((_, position) => position !== index) })}
          >
            Remove
          </Button>
          {fieldErrors[`signals.${index}`] ? <Text>{fieldErrors[`signals.${index}`]}</Text> : null}
        </Flex>
      ))}
      <Flex direction="row" gap="sm" align="end">
        <Select
          label="Signal"
          name="signalType"
          value={signal.type}
          options={Object.entries(signalTypeLabels).map(([value, label]) => ({ value, label }))}
          onChange={(type) => setSignal({ ...signal, type: type as SignalDraft['type'] })}
        />
        {inputs.text ? (
          <Input
            label={inputs.text}
            name="signalText"
            value={signal.text}
            onChange={(text) => setSignal({ ...signal, text })}
          />
        ) : null}
        {inputs.number ? (
          <NumberInput
            label={inputs.number}
            name="signalNumber"
            value={signal.number}
            onChange={(number) => setSignal({ ...signal, number: Number.isFinite(number) ? number : 0 })}
          />
        ) : null}
        <NumberInput
          label="Weight (points)"
          name="signalWeight"
          value={signal.weight}
          min={-100}
          max={100}
          onChange={(weight) => setSignal({ ...signal, weight: Number.isFinite(weight) ? weight : 0 })}
        />
        <Button
          size="sm"
          onClick={() => {
            update({ signals: [...draft.signals, signalFromDraft(signal)] });
            setSignal(emptySignal);
          }}
        >
          Add signal
        </Button>
      </Flex>
      <ButtonRow>
        <Button variant="primary" disabled={saving} onClick={() => onSave(draft)} testId="save-rule">
          {saving ? 'Saving…' : 'Save rule'}
        </Button>
        <Button disabled={saving} onClick={onCancel}>
          Cancel
        </Button>
      </ButtonRow>
    </Flex>
  );
}
