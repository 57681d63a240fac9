import consoleUrl from '@salesforce/label/c.Pulse_Console_Url';
import { api, LightningElement } from 'lwc';

/** The Pulse settings tab: the Pulse console (health model, rules, alerts) framed in Lightning. */
export default class PulseSettings extends LightningElement {
  /** App Builder can point a page at another console URL; the tab uses the custom label. */
  @api url;

  get src() {
    return this.url || consoleUrl;
  }
}
