import {
  Alert,
  Button,
  Flex,
  LoadingSpinner,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  Toggle,
  useExtensionActions,
} from '@hubspot/ui-extensions';
import type { RecommendationRule } from '@pulse/shared/recommendations/rules';
import { useEffect, useRef, useState } from 'react';

import { messageOf, PulseApiError, type PulseClient } from '../shared/pulse-client';
import { type FieldErrors, RuleForm } from './RuleForm';
import {
  describeSignal,
  draftFromRule,
  emptyRuleDraft,
  type RuleDraft,
  ruleInputFromDraft,
  ruleInputFromRule,
} from './rule-draft';

type Editing = { ruleId: string | null; draft: RuleDraft } | null;

/** `{ fields: [{ path: 'body.baseScore', message }] }` → `{ baseScore: message }`. */
function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof PulseApiError)) return {};
  const fields =
    (error.details as { fields?: { path: string; message: string }[] } | undefined)?.fields ?? [];
  return Object.fromEntries(fields.map((field) => [field.path.replace(/^body\./, ''), field.message]));
}

function sizeRange(rule: RecommendationRule): string {
  if (rule.minEmployees === null && rule.maxEmployees === null) return 'Any';
  return `${rule.minEmployees ?? 0}–${rule.maxEmployees ?? '∞'}`;
}

/** Tab 2: the product recommendation rules: list, add, edit, activate/deactivate. */
export function RecommendationRulesTab({ client }: { client: PulseClient }) {
  const actions = useExtensionActions<'settings'>();
  const [rules, setRules] = useState<RecommendationRule[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ message: string; fields: FieldErrors } | null>(null);
  const toggling = useRef(new Set<string>());

  useEffect(() => {
    client
      .listRules()
      .then((result) => setRules(result.rules))
      .catch((error: unknown) => setLoadError(messageOf(error)));
  }, [client]);

  const replace = (rule: RecommendationRule) =>
    setRules((current) => {
      const list = current ?? [];
      return list.some((item) => item.id === rule.id)
        ? list.map((item) => (item.id === rule.id ? rule : item))
        : [...list, rule];
    });

  const setActive = async (rule: RecommendationRule, active: boolean) => {
    if (toggling.current.has(rule.id)) return;
    toggling.current.add(rule.id);
    try {
      replace(await client.updateRule(rule.id, { ...ruleInputFromRule(rule), active }));
      actions.addAlert({
        type: 'success',
        message: `${rule.productId} recommendations ${active ? 'activated' : 'deactivated'}`,
      });
    } catch (error) {
      actions.addAlert({ type: 'danger', title: 'Rule not changed', message: messageOf(error) });
    } finally {
      toggling.current.delete(rule.id);
    }
  };

  const save = async (draft: RuleDraft) => {
    if (!editing || saving) return;
    setSaving(true);
    setSaveError(null);
    try {
      const input = ruleInputFromDraft(draft);
      const rule = editing.ruleId
        ? await client.updateRule(editing.ruleId, input)
        : await client.createRule(input);
      replace(rule);
      setEditing(null);
      actions.addAlert({ type: 'success', message: `Saved the ${rule.productId} rule` });
    } catch (error) {
      setSaveError({ message: messageOf(error), fields: fieldErrorsOf(error) });
    } finally {
      setSaving(false);
    }
  };

  if (loadError) {
    return (
      <Alert title="Rules couldn't load" variant="error">
        {loadError}
      </Alert>
    );
  }
  if (!rules) return <LoadingSpinner label="Loading recommendation rules…" />;
  if (editing) {
    return (
      <RuleForm
        initial={editing.draft}
        title={editing.ruleId ? 'Edit recommendation rule' : 'Add recommendation rule'}
        saving={saving}
        error={saveError?.message ?? null}
        fieldErrors={saveError?.fields ?? {}}
        onSave={(draft) => void save(draft)}
        onCancel={() => {
          setEditing(null);
          setSaveError(null);
        }}
      />
    );
  }
  return (
    <Flex direction="column" gap="md">
      <Button
        variant="primary"
        onClick={() => setEditing({ ruleId: null, draft: emptyRuleDraft })}
        testId="add-rule"
      >
        Add recommendation
      </Button>
      {rules.length === 0 ? <Text>No rules yet. Start with your 3-5 most common upsell paths.</Text> : null}
      <Table bordered density="condensed">
        <TableHead>
          <TableHeader>Product</TableHeader>
          <TableHeader>Base score</TableHeader>
          <TableHeader>Signals</TableHeader>
          <TableHeader>Company size</TableHeader>
          <TableHeader>Industries</TableHeader>
          <TableHeader>Active</TableHeader>
          <TableHeader>Edit</TableHeader>
        </TableHead>
        <TableBody>
          {rules.map((rule) => (
            <TableRow key={rule.id}>
              <TableCell>{rule.productId}</TableCell>
              <TableCell>{String(rule.baseScore)}</TableCell>
              <TableCell>{rule.signals.map(describeSignal).join('; ') || 'None'}</TableCell>
              <TableCell>{sizeRange(rule)}</TableCell>
              <TableCell>{rule.industries.join(', ') || 'Any'}</TableCell>
              <TableCell>
                <Toggle
                  label={`Active: ${rule.productId}`}
                  labelDisplay="hidden"
                  name={`active-${rule.id}`}
                  checked={rule.active}
                  onChange={(active) => void setActive(rule, active)}
                  testId={`active-${rule.id}`}
                />
              </TableCell>
              <TableCell>
                <Button
                  size="xs"
                  onClick={() => {
                    setSaveError(null);
                    setEditing({ ruleId: rule.id, draft: draftFromRule(rule) });
                  }}
                  testId={`edit-${rule.id}`}
                >
                  Edit
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
