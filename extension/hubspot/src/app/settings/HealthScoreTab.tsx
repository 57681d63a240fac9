import {
  Alert,
  Button,
  ButtonRow,
  Divider,
  ErrorState,
  Flex,
  Heading,
  LoadingSpinner,
  NumberInput,
  Select,
  Text,
  Toggle,
  useDebounce,
  useExtensionActions,
} from '@hubspot/ui-extensions';
import type { TierDistribution } from '@pulse/shared/api/hubspot-app';
import type { HealthConfig } from '@pulse/shared/health/config';
import { useEffect, useRef, useState } from 'react';

import { type HealthSettings, messageOf, type PulseClient } from '../shared/pulse-client';
import { DistributionTable } from './DistributionTable';
import { draftProblems, presetLabels, setEnabled, setTierMin, setWeight, weightTotal } from './health-draft';

/** Preview requests wait until the admin stops typing for this long. */
export const PREVIEW_DEBOUNCE_MS = 400;

/** Tab 1: weights per factor (total exactly 100), tier thresholds, presets and a live tier preview. */
export function HealthScoreTab({ client }: { client: PulseClient }) {
  const actions = useExtensionActions<'settings'>();
  const [saved, setSaved] = useState<HealthSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<HealthConfig | null>(null);
  const [preview, setPreview] = useState<TierDistribution | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const previewRequest = useRef(0);
  const savingNow = useRef(false);

  useEffect(() => {
    client
      .healthSettings()
      .then((settings) => {
        setSaved(settings);
        setDraft(settings.config);
      })
      .catch((error: unknown) => setLoadError(messageOf(error)));
  }, [client]);

  const debouncedDraft = useDebounce(draft, PREVIEW_DEBOUNCE_MS);
  useEffect(() => {
    const request = ++previewRequest.current;
    if (!debouncedDraft || !saved || JSON.stringify(debouncedDraft) === JSON.stringify(saved.config)) {
      setPreview(null);
      return;
    }
    if (draftProblems(debouncedDraft).length > 0) {
      setPreview(null);
      return;
    }
    setPreviewError(null);
    client
      .previewHealthSettings(debouncedDraft)
      // Only the newest request may paint: an older, slower answer would show the wrong draft.
      .then((distribution) => request === previewRequest.current && setPreview(distribution))
      .catch((error: unknown) => request === previewRequest.current && setPreviewError(messageOf(error)));
  }, [client, debouncedDraft, saved]);

  if (loadError) {
    return (
      <ErrorState title="Health settings couldn't load">
        <Text>{loadError}</Text>
      </ErrorState>
    );
  }
  if (!saved || !draft) return <LoadingSpinner label="Loading health settings…" layout="centered" />;

  const total = weightTotal(draft);
  const problems = draftProblems(draft);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved.config);

  const save = async () => {
    // The button is disabled too, but the rule must hold whatever calls this.
    if (problems.length > 0 || savingNow.current) return;
    savingNow.current = true;
    setSaving(true);
    setSaveError(null);
    try {
      const result = await client.saveHealthSettings(draft);
      setSaved({ ...saved, config: result.config, version: result.version });
      setDraft(result.config);
      actions.addAlert({
        type: 'success',
        title: 'Health model saved',
        message: 'Pulse is re-scoring every account with the new weights; scores update within minutes.',
      });
    } catch (error) {
      setSaveError(messageOf(error));
      actions.addAlert({ type: 'danger', title: 'Not saved', message: messageOf(error) });
    } finally {
      savingNow.current = false;
      setSaving(false);
    }
  };

  const lastTier = draft.tiers[draft.tiers.length - 1];
  return (
    <Flex direction="column" gap="md">
      <Select
        label="Start from a preset"
        name="preset"
        value={draft.preset}
        options={Object.keys(saved.presets)
          .map((key) => ({ label: presetLabels[key] ?? key, value: key }))
          .concat(draft.preset === 'custom' ? [{ label: presetLabels.custom!, value: 'custom' }] : [])}
        onChange={(value) => {
          const preset = saved.presets[String(value)];
          if (preset) setDraft(structuredClone(preset));
        }}
      />
      <Heading>Factor weights</Heading>
      {draft.factors.map((factor) => (
        <Flex key={factor.key} direction="row" gap="md" align="end">
          <Toggle
            label={factor.label}
            name={`enabled-${factor.key}`}
            checked={factor.enabled}
            labelDisplay="top"
            onChange={(checked) => setDraft(setEnabled(draft, factor.key, checked))}
          />
          <NumberInput
            label={`${factor.label} weight (%)`}
            name={`weight-${factor.key}`}
            value={factor.weight}
            min={0}
            max={100}
            precision={0}
            readOnly={!factor.enabled}
            onChange={(value) => setDraft(setWeight(draft, factor.key, Number.isFinite(value) ? value : 0))}
          />
        </Flex>
      ))}
      <Text format={{ fontWeight: 'bold' }} testId="weight-total">
        Total: {total}% of 100%
      </Text>
      {problems.length > 0 ? (
        <Alert title="Fix these before saving" variant="warning" testId="draft-problems">
          {problems.join(' ')}
        </Alert>
      ) : null}
      <Heading>Tier thresholds</Heading>
      {draft.tiers.slice(0, -1).map((tier) => (
        <NumberInput
          key={tier.key}
          label={`${tier.label}: scores from`}
          name={`tier-${tier.key}`}
          value={tier.min}
          min={0}
          max={100}
          onChange={(value) => setDraft(setTierMin(draft, tier.key, Number.isFinite(value) ? value : 0))}
        />
      ))}
      {lastTier ? (
        <Text variant="microcopy">{lastTier.label}: every score below the thresholds above.</Text>
      ) : null}
      <NumberInput
        label="Mark a score low-coverage below this % of weight backed by data"
        name="low-coverage"
        value={draft.lowCoverageThreshold}
        min={0}
        max={100}
        onChange={(value) =>
          setDraft({
            ...draft,
            lowCoverageThreshold: Number.isFinite(value) ? value : draft.lowCoverageThreshold,
          })
        }
      />
      {saveError ? (
        <Alert title="Not saved" variant="error">
          {saveError}
        </Alert>
      ) : null}
      <ButtonRow>
        <Button
          variant="primary"
          disabled={problems.length > 0 || saving || !dirty}
          onClick={() => void save()}
          testId="save-health"
        >
          {saving ? 'Saving…' : 'Save'}
        </Button>
        <Button disabled={!dirty || saving} onClick={() => setDraft(saved.config)}>
          Discard changes
        </Button>
      </ButtonRow>
      <Divider />
      <Heading>Tier distribution</Heading>
      {previewError ? (
        <Alert title="Preview unavailable" variant="warning">
          {previewError}
        </Alert>
      ) : null}
      {preview ? (
        <DistributionTable title="With your draft" distribution={preview} testId="preview-distribution" />
      ) : dirty && problems.length > 0 ? (
        <Text variant="microcopy">The preview appears once the draft is valid.</Text>
      ) : null}
      <DistributionTable title="As saved" distribution={saved.distribution} testId="saved-distribution" />
    </Flex>
  );
}
