//! `/vragenlijst/:id/beoordelen`: one response with the previous round's answers, comment
//! threads, each answer's history, and sending back or approving.

use super::*;
use crate::paths;

/// `/vragenlijst/:id/beoordelen`: a response as the reviewer checks it. The region's
/// coordinators read it too and answer the comments here.
#[component]
pub fn ReviewResponsePage() -> impl IntoView {
    let id = param("id");
    let return_action = ServerAction::<ReturnResponse>::new();
    let approve = ServerAction::<ApproveResponse>::new();
    let void = ServerAction::<VoidApproval>::new();
    let comment = ServerAction::<AddComment>::new();
    let resolve = ServerAction::<ResolveComment>::new();
    let page = Resource::new(
        move || {
            (
                id(),
                return_action.version().get(),
                approve.version().get(),
                void.version().get(),
                comment.version().get(),
                resolve.version().get(),
            )
        },
        |(id, ..)| get_review(id),
    );
    let actions = ReviewForms {
        return_action,
        approve,
        void,
        comment,
        resolve,
    };
    view! {
        <Loaded data=page let:page>
            <Review page actions/>
        </Loaded>
    }
}

/// The page's server actions, shared by its forms.
#[derive(Clone, Copy)]
struct ReviewForms {
    return_action: ServerAction<ReturnResponse>,
    approve: ServerAction<ApproveResponse>,
    void: ServerAction<VoidApproval>,
    comment: ServerAction<AddComment>,
    resolve: ServerAction<ResolveComment>,
}

#[component]
fn Review(page: ReviewPage, actions: ReviewForms) -> impl IntoView {
    let return_error =
        Signal::derive(move || actions.return_action.value().get().and_then(Result::err));
    let approve_error = Signal::derive(move || actions.approve.value().get().and_then(Result::err));
    let void_error = Signal::derive(move || actions.void.value().get().and_then(Result::err));
    let comment_error = Signal::derive(move || actions.comment.value().get().and_then(Result::err));
    let resolve_error = Signal::derive(move || actions.resolve.value().get().and_then(Result::err));
    let header = page.header.clone();
    let response_id = header.id.clone();
    let overall = page.overall.clone();
    let reviewer = page.may_resolve;
    let back = if reviewer {
        (
            paths::review_round(&page.round_id),
            "Terug naar het overzicht van de meting",
        )
    } else {
        (paths::response(&response_id), "Terug naar de vragenlijst")
    };
    let context = ItemContext {
        response_id: response_id.clone(),
        compared_round: page.compared_round.clone(),
        may_comment: page.may_comment,
        may_resolve: page.may_resolve,
        forms: actions,
    };
    view! {
        <Title text=format!("Beoordeling {} – {}", header.region_name, header.round_name)/>
        <p class="back-link"><a href=back.0>{back.1}</a></p>
        <ResponseBanner header=header.clone()/>
        <ChangeNotice text_of=|code| notice_text(code).map(String::from)/>
        <ErrorSummary error=return_error id="fout-terugsturen"/>
        <ErrorSummary error=approve_error id="fout-goedkeuren"/>
        <ErrorSummary error=void_error id="fout-intrekken"/>
        <ErrorSummary error=comment_error id="fout-opmerking"/>
        <ErrorSummary error=resolve_error id="fout-afhandelen"/>
        <h1>{format!("Beoordeling {}", header.region_name)}</h1>
        <dl class="summary-list">
            <div class="summary-list__row"><dt>"Status"</dt><dd>{header.status.label()}</dd></div>
            <div class="summary-list__row"><dt>"Compleet"</dt><dd>
                {format!("{} van {} verplichte vragen beantwoord ({}%)", overall.complete, overall.required, overall.percent_complete())}
            </dd></div>
            <div class="summary-list__row"><dt>"Fouten"</dt><dd>{overall.blocking + overall.invalid}</dd></div>
            <div class="summary-list__row"><dt>"Waarschuwingen"</dt><dd>{overall.warnings}</dd></div>
            <div class="summary-list__row"><dt>"Open opmerkingen"</dt><dd>{header.open_comments}</dd></div>
            <div class="summary-list__row"><dt>"Openstaande punten"</dt><dd>
                <a href=paths::response_findings(&response_id)>"Alle openstaande punten op een rij"</a>
            </dd></div>
            <div class="summary-list__row"><dt>"Vergeleken met"</dt><dd>{page.compared_round.clone().unwrap_or_else(|| "geen eerdere meting".to_string())}</dd></div>
        </dl>
        <ActionPanel actions=page.actions.clone() response_id=response_id.clone() forms=actions
            signs_with_code=page.signs_with_code
            published=!page.may_comment
            errors=ActionErrors { return_error, approve_error, void_error }/>
        <nav aria-label="Secties van de vragenlijst">
            <ol class="section-index">
                {page.sections.iter().map(|section| view! {
                    <li><a href=format!("#sectie-{}", section.key) rel="external">{section.title.clone()}</a></li>
                }).collect_view()}
            </ol>
        </nav>
        {page.sections.into_iter().map(|section| {
            let context = context.clone();
            view! {
                <section class="review-section" aria-labelledby=format!("sectie-{}", section.key)>
                    <h2 id=format!("sectie-{}", section.key)>{section.title.clone()}" "
                        <span class="tag">{section.status.label()}</span></h2>
                    {(section.hidden > 0).then(|| view! {
                        <p class="caption">{format!("{} vraag/vragen niet gesteld door eerdere antwoorden.", section.hidden)}</p>
                    })}
                    {section.items.into_iter().map(|item| view! { <ReviewItemView item context=context.clone()/> }).collect_view()}
                </section>
            }
        }).collect_view()}
    }
}

/// What went wrong with each review action, shown beside its form.
#[derive(Clone, Copy)]
struct ActionErrors {
    return_error: Signal<Option<AppError>>,
    approve_error: Signal<Option<AppError>>,
    void_error: Signal<Option<AppError>>,
}

/// The approve, send back and void forms, for whatever the user may do now.
#[component]
fn ActionPanel(
    actions: Vec<ReviewAction>,
    response_id: String,
    /// Sign an approval with a code of the second factor instead of the password.
    signs_with_code: bool,
    /// The round is published: an approval only reaches the public side in a correction.
    published: bool,
    forms: ReviewForms,
    errors: ActionErrors,
) -> impl IntoView {
    if actions.is_empty() {
        return None;
    }
    let ActionErrors {
        return_error,
        approve_error,
        void_error,
    } = errors;
    let form = move |action: ReviewAction| {
        let response_id = response_id.clone();
        match action {
            ReviewAction::Approve => {
                // The signature: a code of the second factor, or without one the password.
                let (how, label, input_type, autocomplete, inputmode) = if signs_with_code {
                    ("een code uit uw authenticator-app", "Code uit uw app", "text", "one-time-code", "numeric")
                } else {
                    ("uw wachtwoord", "Uw wachtwoord", "password", "current-password", "")
                };
                view! {
                    <section class="review-action" aria-labelledby="goedkeuren">
                        <h3 id="goedkeuren">"Goedkeuren"</h3>
                        <p>{format!("Goedkeuren vergrendelt de vragenlijst. U ondertekent met {how}.")}</p>
                        {published.then(|| view! {
                            <p class="form-hint">"Deze meting is al gepubliceerd. De goedkeuring verandert de gepubliceerde cijfers niet: de antwoorden worden pas openbaar als een beheerder een correctie publiceert."</p>
                        })}
                        <ActionForm action=forms.approve attr:class="form">
                            <input type="hidden" name="response_id" value=response_id/>
                            <TextField label name="password" input_type autocomplete inputmode
                                required=true error=approve_error/>
                            <button type="submit" class="button">"Goedkeuren en vergrendelen"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            }
            ReviewAction::Return => view! {
                <section class="review-action" aria-labelledby="terugsturen">
                    <h3 id="terugsturen">"Terugsturen"</h3>
                    <ActionForm action=forms.return_action attr:class="form">
                        <input type="hidden" name="response_id" value=response_id/>
                        <TextField label="Reden" name="reason" required=true maxlength=MAX_REASON_CHARS
                            hint="De regio ziet de reden en uw opmerkingen bij de vragen, en kan de vragenlijst daarna opnieuw indienen."
                            error=return_error/>
                        <button type="submit" class="button button--secondary">"Terugsturen naar de regio"</button>
                    </ActionForm>
                </section>
            }.into_any(),
            ReviewAction::Reopen => view! {
                <section class="review-action" aria-labelledby="intrekken">
                    <h3 id="intrekken">"Goedkeuring intrekken"</h3>
                    <ActionForm action=forms.void attr:class="form">
                        <input type="hidden" name="response_id" value=response_id/>
                        <TextField label="Reden" name="reason" required=true maxlength=MAX_REASON_CHARS
                            hint="De goedkeuring vervalt en de vragenlijst gaat terug naar de regio."
                            error=void_error/>
                        <button type="submit" class="button button--secondary">"Goedkeuring intrekken"</button>
                    </ActionForm>
                </section>
            }.into_any(),
        }
    };
    Some(view! {
        <div class="review-actions">
            <h2>"Beoordeling"</h2>
            {actions.into_iter().map(form).collect_view()}
        </div>
    })
}

/// What every item on the review page needs besides itself.
#[derive(Clone)]
struct ItemContext {
    response_id: String,
    compared_round: Option<String>,
    may_comment: bool,
    may_resolve: bool,
    forms: ReviewForms,
}

#[component]
fn ReviewItemView(item: ReviewItem, context: ItemContext) -> impl IntoView {
    let missing = item.status == ItemStatus::Missing;
    let invalid = item.status == ItemStatus::Invalid;
    let class = if missing || invalid || !item.blocking.is_empty() {
        "review-item review-item--problem"
    } else if !item.warnings.is_empty() {
        "review-item review-item--warning"
    } else {
        "review-item"
    };
    let answer = match (&item.now, item.status) {
        (_, ItemStatus::Missing) => "Verplicht, niet beantwoord".to_string(),
        (Some(text), _) => text.clone(),
        (None, _) => "Niet beantwoord".to_string(),
    };
    let history_count = item.history.len();
    let key = item.key.clone();
    let new_thread_id = format!("nieuwe-opmerking-{key}");
    let (article_id, title_id) = (format!("vraag-{key}"), format!("vraag-{key}-titel"));
    let labelled_by = title_id.clone();
    view! {
        <article class=class id=article_id aria-labelledby=labelled_by>
            <h3 class="review-item__title" id=title_id>{item.label.clone()}</h3>
            <dl class="review-item__answers">
                <div><dt>"Antwoord"</dt><dd>
                    {answer}
                    {item.prefilled.then(|| view! { " "<strong class="tag tag--prefilled">"Overgenomen – nog bevestigen"</strong> })}
                    {item.confirmed_unchanged.then(|| view! { " "<strong class="tag tag--confirmed">"Overgenomen en ongewijzigd bevestigd"</strong> })}
                    {invalid.then(|| view! { " "<strong class="tag tag--error">"Ongeldig"</strong> })}
                </dd></div>
                {context.compared_round.clone().map(|round| view! {
                    <div><dt>{format!("In de {round}")}</dt><dd>
                        {match (&item.not_compared, &item.before) {
                            (Some(why), _) => why.clone(),
                            (None, Some(before)) => before.clone(),
                            (None, None) => "Niet beantwoord".to_string(),
                        }}
                        {item.changed.then(|| view! { " "<strong class="tag tag--changed">"Gewijzigd"</strong> })}
                    </dd></div>
                })}
            </dl>
            {(!item.blocking.is_empty()).then(|| view! {
                <div class="form-error"><span class="visually-hidden">"Fout: "</span>{item.blocking.join(" ")}</div>
            })}
            {(!item.warnings.is_empty()).then(|| view! {
                <div class="warning-text"><span class="visually-hidden">"Let op: "</span>{item.warnings.join(" ")}</div>
            })}
            {(history_count > 0).then(|| view! {
                <details class="review-item__history">
                    <summary>{format!("Geschiedenis van dit antwoord ({history_count} wijziging(en))")}</summary>
                    <ol>
                        {item.history.iter().rev().map(|line| view! {
                            <li>{format!("{} – {}: {} → {}", format_date_time(line.at), line.by,
                                line.old.clone().unwrap_or_else(|| "(leeg)".to_string()), line.new)}</li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
            {item.threads.into_iter().map(|thread| view! { <Thread thread context=context.clone()/> }).collect_view()}
            {context.may_comment.then(|| view! {
                <details class="review-item__comment">
                    <summary>"Opmerking plaatsen bij deze vraag"</summary>
                    <ActionForm action=context.forms.comment attr:class="form">
                        <input type="hidden" name="response_id" value=context.response_id.clone()/>
                        <input type="hidden" name="item_key" value=key.clone()/>
                        <div class="form-field">
                            <label class="form-label" for=new_thread_id.clone()>"Opmerking"</label>
                            <textarea class="form-textarea" id=new_thread_id name="body" rows="3" required maxlength=MAX_COMMENT_CHARS></textarea>
                        </div>
                        <button type="submit" class="button button--secondary">"Opmerking plaatsen"</button>
                    </ActionForm>
                </details>
            })}
        </article>
    }
}

/// One conversation about an item, with a reply form and, for reviewers, resolve or reopen.
#[component]
fn Thread(thread: CommentThread, context: ItemContext) -> impl IntoView {
    let reply_id = format!("reactie-{}", thread.id);
    let open = thread.resolved.is_none();
    let class = if open {
        "thread"
    } else {
        "thread thread--resolved"
    };
    let resolve_to = if open { "ja" } else { "nee" };
    let (element_id, reply_thread, resolve_thread) = (
        format!("opmerking-{}", thread.id),
        thread.id.clone(),
        thread.id.clone(),
    );
    view! {
        <div class=class id=element_id>
            <p class="thread__state">{match &thread.resolved {
                None => view! { <strong class="tag tag--error">"Open opmerking"</strong> }.into_any(),
                Some(resolved) => view! {
                    <span><strong class="tag tag--done">"Afgehandeld"</strong>{format!(" door {}, {}", resolved.by, format_date_time(resolved.at))}</span>
                }.into_any(),
            }}</p>
            <ol class="thread__messages">
                {thread.messages.iter().map(|message| view! {
                    <li class="thread__message">
                        <p class="thread__meta">{format!("{} ({}) – {}", message.author, message.author_role.label(), format_date_time(message.at))}</p>
                        <p class="thread__body">{message.body.clone()}</p>
                    </li>
                }).collect_view()}
            </ol>
            {context.may_comment.then(|| view! {
                <ActionForm action=context.forms.comment attr:class="form thread__reply">
                    <input type="hidden" name="response_id" value=context.response_id.clone()/>
                    <input type="hidden" name="item_key" value=thread.item_key.clone()/>
                    <input type="hidden" name="thread_id" value=reply_thread.clone()/>
                    <div class="form-field">
                        <label class="form-label" for=reply_id.clone()>"Reageren"</label>
                        <textarea class="form-textarea" id=reply_id name="body" rows="2" required maxlength=MAX_COMMENT_CHARS></textarea>
                    </div>
                    <button type="submit" class="button button--secondary">"Reactie plaatsen"</button>
                </ActionForm>
            })}
            {(context.may_resolve && context.may_comment).then(|| view! {
                <ActionForm action=context.forms.resolve attr:class="inline-form">
                    <input type="hidden" name="thread_id" value=resolve_thread.clone()/>
                    <input type="hidden" name="resolved" value=resolve_to/>
                    <button type="submit" class="button button--secondary">{if open { "Afhandelen" } else { "Weer openen" }}</button>
                </ActionForm>
            })}
        </div>
    }
}
