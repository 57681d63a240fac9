import accountOverview from '@salesforce/apex/PulseApi.accountOverview';
import createOpportunity from '@salesforce/apex/PulseApi.createOpportunity';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { api, LightningElement } from 'lwc';
import { buildViewModel, withOpportunity, withPending } from './viewModel';

/** The Pulse card on the Account record page: score, tier, factors, flags, top recommendations. */
export default class PulseAccountHealth extends LightningElement {
  @api recordId;
  view;
  error;
  loading = true;

  connectedCallback() {
    this.load();
  }

  async load() {
    this.loading = true;
    try {
      this.view = buildViewModel(JSON.parse(await accountOverview({ accountId: this.recordId })));
      this.error = undefined;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.loading = false;
    }
  }

  get notScored() {
    return this.view && !this.view.scored;
  }

  async handleCreateOpportunity(event) {
    const productId = event.currentTarget.dataset.productId;
    const current = this.view.recommendations.find((item) => item.productId === productId);
    if (!current || current.disabled) return;
    this.view = { ...this.view, recommendations: withPending(this.view.recommendations, productId, true) };
    try {
      const created = JSON.parse(await createOpportunity({ accountId: this.recordId, productId }));
      this.view = {
        ...this.view,
        recommendations: withOpportunity(this.view.recommendations, productId, created),
      };
      this.dispatchEvent(
        new ShowToastEvent({
          title: created.created ? 'Opportunity created' : 'Opportunity already open',
          message: created.name,
          variant: created.created ? 'success' : 'info',
        }),
      );
    } catch (error) {
      this.view = { ...this.view, recommendations: withPending(this.view.recommendations, productId, false) };
      this.dispatchEvent(
        new ShowToastEvent({
          title: 'Could not create the opportunity',
          message: messageOf(error),
          variant: 'error',
        }),
      );
    }
  }
}

function messageOf(error) {
  return error?.body?.message || error?.message || 'Unknown error';
}
