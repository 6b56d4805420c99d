// One control per setting, all derived from the hyperparameter spec. Live settings apply
// while the slider moves; settings that rebuild the network apply when the edit is done.

import { useEffect, useState } from 'react';
import { useTrainerContext } from '../../hooks/trainer-context';
import { useHyperparameters } from '../../hooks/use-session';
import {
  DEFAULT_HYPERPARAMETERS,
  HYPERPARAMETER_SPEC,
  PRESETS,
  parseSetting,
  type ChoiceSetting,
  type HyperparameterName,
  type Hyperparameters,
  type NumberSetting,
  type PresetName,
} from '../../shared/hyperparameters';
import { SLIDER_STEPS, formatSettingValue, positionToValue, valueToPosition } from './slider-scale';

type Apply = (patch: Partial<Hyperparameters>) => void;

const PRESET_LABELS: Record<PresetName, string> = { default: 'Fast (default)', notebook: 'Notebook (original)' };

export function HyperparameterControls() {
  const { session } = useTrainerContext();
  const settings = useHyperparameters();
  const values = settings ?? DEFAULT_HYPERPARAMETERS;
  const apply: Apply = (patch) => void session.setHyperparameters(patch);
  const disabled = settings === null;

  return (
    <fieldset className="hyperparameters" disabled={disabled}>
      <legend>Settings</legend>
      <div className="presets">
        Presets:
        {(Object.keys(PRESETS) as PresetName[]).map((name) => (
          <button key={name} type="button" className="link" data-testid={`preset-${name}`} onClick={() => apply(PRESETS[name])}>
            {PRESET_LABELS[name]}
          </button>
        ))}
      </div>
      <Slider name="learningRate" testId="lr-slider" value={values.learningRate} apply={apply} />
      <Slider
        name="momentum"
        value={values.momentum}
        apply={apply}
        disabled={values.optimizer !== 'sgd'}
        note={values.optimizer !== 'sgd' ? 'Adam keeps its own momentum' : undefined}
      />
      <Slider name="batchSize" value={values.batchSize} apply={apply} />
      <NumberField name="epochs" value={values.epochs} apply={apply} />
      <Choice name="augment" value={values.augment} apply={apply} />
      <p className="reset-note">Changing these starts a new run:</p>
      <NumberField name="hiddenSize" value={values.hiddenSize} apply={apply} />
      <Choice name="optimizer" value={values.optimizer} apply={apply} />
      <Choice name="init" value={values.init} apply={apply} />
      <NumberField name="seed" value={values.seed} apply={apply} />
      <Choice name="backend" value={values.backend} apply={apply} />
    </fieldset>
  );
}

function Slider(props: {
  name: HyperparameterName;
  value: number;
  apply: Apply;
  testId?: string;
  disabled?: boolean;
  note?: string | undefined;
}) {
  const setting = HYPERPARAMETER_SPEC[props.name] as NumberSetting;
  // The thumb follows the pointer at once; the value in force comes back from the worker.
  const [position, setPosition] = useState(valueToPosition(setting, props.value));
  useEffect(() => setPosition(valueToPosition(setting, props.value)), [setting, props.value]);
  const shown = position === valueToPosition(setting, props.value) ? props.value : positionToValue(setting, position);
  const id = `setting-${props.name}`;
  return (
    <div className="setting" title={setting.help}>
      <label htmlFor={id}>
        {setting.label}
        <output htmlFor={id}>{formatSettingValue(setting, shown)}</output>
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={SLIDER_STEPS}
        step={1}
        disabled={props.disabled}
        data-testid={props.testId ?? `${setting.urlKey}-slider`}
        value={position}
        aria-valuetext={formatSettingValue(setting, shown)}
        onChange={(event) => {
          const next = Number(event.target.value);
          setPosition(next);
          props.apply({ [props.name]: positionToValue(setting, next) });
        }}
      />
      {props.note !== undefined && <small>{props.note}</small>}
    </div>
  );
}

/** A number typed in full, applied on Enter or when the field loses focus. */
function NumberField(props: { name: HyperparameterName; value: number; apply: Apply }) {
  const setting = HYPERPARAMETER_SPEC[props.name] as NumberSetting;
  const [text, setText] = useState(String(props.value));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setText(String(props.value)), [props.value]);
  const id = `setting-${props.name}`;

  const commit = () => {
    const result = parseSetting(props.name, text);
    if (!result.ok) {
      setProblem(result.message);
      return;
    }
    setProblem(null);
    if (result.value !== props.value) props.apply({ [props.name]: result.value });
  };

  return (
    <div className="setting" title={setting.help}>
      <label htmlFor={id}>{setting.label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={setting.min}
        max={setting.max}
        step={setting.integer ? 1 : 'any'}
        data-testid={`${setting.urlKey}-input`}
        value={text}
        aria-invalid={problem !== null}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
      {problem !== null && (
        <small className="field-problem" role="alert">
          {problem}
        </small>
      )}
    </div>
  );
}

function Choice(props: { name: HyperparameterName; value: string; apply: Apply }) {
  const setting = HYPERPARAMETER_SPEC[props.name] as ChoiceSetting;
  const id = `setting-${props.name}`;
  return (
    <div className="setting" title={setting.help}>
      <label htmlFor={id}>{setting.label}</label>
      <select
        id={id}
        data-testid={`${setting.urlKey}-select`}
        value={props.value}
        onChange={(event) => props.apply({ [props.name]: event.target.value })}
      >
        {setting.options.map((option) => (
          <option key={option} value={option}>
            {setting.optionLabels[option]}
          </option>
        ))}
      </select>
    </div>
  );
}
