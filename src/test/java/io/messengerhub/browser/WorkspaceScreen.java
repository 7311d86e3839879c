package io.messengerhub.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The agent workspace as a test sees it: what an agent does on the screen, and waiting for what it shows. */
final class WorkspaceScreen {

    /**
     * Where the browser tests save what they show: target/screenshots, or the README's pictures in docs with
     * -Dhub.screenshots=docs (a run of every test that takes them rewrites them all).
     */
    static final Path SCREENSHOTS = Path.of(System.getProperty("hub.screenshots", "target/screenshots"));

    private final ChromeDriver browser;
    private final String hub;
    private final WebDriverWait wait;

    WorkspaceScreen(ChromeDriver browser, String hub) {
        this.browser = browser;
        this.hub = hub;
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    void open() {
        browser.get(hub + "/workspace/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("login-agent")));
    }

    void logIn(String agent, String password) {
        open();
        browser.findElement(By.id("login-agent")).sendKeys(agent);
        browser.findElement(By.id("login-password")).sendKeys(password);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-connection", "connected"));
    }

    /** Logs in with the keyboard alone: the agent id, Tab, the password, Enter. */
    void logInWithTheKeyboard(String agent, String password) {
        browser.findElement(By.id("login-agent")).sendKeys(agent, Keys.TAB, password, Keys.ENTER);
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-connection", "connected"));
    }

    /** Presses Tab until the focused control is the button named {@code label}; fails after 60 presses. */
    WebElement tabTo(String label) {
        for (int i = 0; i < 60; i++) {
            WebElement focused = browser.switchTo().activeElement();
            if ("button".equals(focused.getTagName()) && label.equals(focused.getText().strip())) {
                return focused;
            }
            focused.sendKeys(Keys.TAB);
        }
        throw new AssertionError("Tab never reached a button '" + label + "'");
    }

    /** Presses Alt with a key wherever the focus is, as an agent uses a shortcut. */
    void shortcut(CharSequence key) {
        new org.openqa.selenium.interactions.Actions(browser).keyDown(Keys.ALT).sendKeys(key).keyUp(Keys.ALT).perform();
    }

    /** Clicks the button whose text or ARIA label is {@code label}, under {@code where}. */
    void press(By where, String label) {
        By button = new org.openqa.selenium.support.pagefactory.ByChained(where, By.xpath(".//button[normalize-space(.)=" + literal(label)
                + " or @aria-label=" + literal(label) + "]"));
        clickWhenClickable(button);
    }

    /**
     * Finds and clicks in one step, again when the page redrew the element between the two (an inbox message arriving
     * re-renders tabs and panes): a click on the element found a moment ago would fail as stale.
     */
    private void clickWhenClickable(By target) {
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
            WebElement element = ExpectedConditions.elementToBeClickable(target).apply(driver);
            if (element == null) {
                return false;
            }
            element.click();
            return true;
        });
    }

    /** Types into a field and submits its form with Enter. */
    void search(By field, String words) {
        wait.until(ExpectedConditions.elementToBeClickable(field)).sendKeys(words, Keys.ENTER);
    }

    /** The visible controls that have no accessible name (what a screen reader would announce as just "button"). */
    List<String> controlsWithoutName() {
        return browser.findElements(By.cssSelector("button, input, select, textarea, [role=tab]")).stream()
                .filter(WebElement::isDisplayed)
                .filter(control -> control.getAccessibleName() == null || control.getAccessibleName().isBlank())
                .map(control -> control.getTagName() + "#" + control.getAttribute("id") + "." + control.getAttribute("class"))
                .toList();
    }

    void choosePresence(String presence) {
        new Select(browser.findElement(By.id("presence"))).selectByValue(presence);
    }

    void chooseLanguage(String language) {
        new Select(browser.findElement(By.id("language"))).selectByValue(language);
    }

    /** Waits until the element shows a text containing {@code part}; returns the element. */
    WebElement waitForText(By where, String part) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(where, part));
        return browser.findElement(where);
    }

    /** Waits until the element shows a text containing {@code part}; returns its whole text. */
    String shownText(By where, String part) {
        return textOf(browser, where, text -> text.contains(part));
    }

    /** The element's text, read again if a redraw replaced the element between finding and reading it. */
    String text(By where) {
        return textOf(browser, where);
    }

    /** As {@link #text(By)}, in any browser. */
    static String textOf(ChromeDriver browser, By where) {
        return textOf(browser, where, text -> true);
    }

    /** The element's text once it passes {@code wanted}; an element a redraw replaced meanwhile is found again. */
    static String textOf(ChromeDriver browser, By where, java.util.function.Predicate<String> wanted) {
        return new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class).until(b -> {
            String text = b.findElement(where).getText();
            return wanted.test(text) ? text : null;
        });
    }

    /** The offer toast that names this first message. */
    WebElement offerWith(String firstMessage) {
        By offer = By.xpath("//section[@class='offer'][.//blockquote[contains(., " + literal(firstMessage) + ")]]");
        wait.until(ExpectedConditions.visibilityOfElementLocated(offer));
        return browser.findElement(offer);
    }

    /**
     * The text of the offer that names this first message, or of one part of it; read again when the toast was
     * redrawn between finding it and reading it (its countdown ticks every second).
     */
    String offerText(String firstMessage, By part) {
        return wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
            WebElement offer = offerWith(firstMessage);
            return part == null ? offer.getText() : offer.findElement(part).getText();
        });
    }

    /** Accepts the offer that names this first message. */
    void accept(String firstMessage) {
        By button = By.xpath("//section[@class='offer'][.//blockquote[contains(., " + literal(firstMessage) + ")]]"
                + "//button[normalize-space(.)='Accept']");
        clickWhenClickable(button);
    }

    /** The entry of the shown conversation's transcript that holds this text. */
    WebElement entryWith(String text) {
        By entry = By.xpath("//ol[@class='transcript']/li[.//p[@class='text'][contains(., " + literal(text) + ")]]");
        wait.until(ExpectedConditions.visibilityOfElementLocated(entry));
        return browser.findElement(entry);
    }

    void waitForMark(String text, String mark) {
        By where = By.xpath("//ol[@class='transcript']/li[.//p[@class='text'][contains(., " + literal(text) + ")]]"
                + "//span[contains(@class, 'mark')]");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(where, mark));
    }

    List<WebElement> tabs() {
        return browser.findElements(By.cssSelector("[role=tab]"));
    }

    void showTab(String label) {
        clickWhenClickable(By.xpath("//button[@role='tab'][contains(., " + literal(label) + ")]"));
    }

    void reply(String text) {
        var box = browser.findElement(By.id("composer-text"));
        box.sendKeys(text);
        browser.findElement(By.cssSelector(".composer button[type=submit]")).click();
    }

    void act(String label) {
        clickWhenClickable(By.xpath("//div[@class='actions']/button[normalize-space(.)=" + literal(label) + "]"));
    }

    void waitForState(String shown) {
        waitForText(By.cssSelector(".communication .state"), shown);
    }

    /** Saves what the screen shows as workspace/{name}.png in {@link #SCREENSHOTS}. */
    void screenshot(String name) {
        screenshot(browser, "workspace", name);
    }

    /** Saves what a browser shows as {folder}/{name}.png in {@link #SCREENSHOTS}. */
    static void screenshot(ChromeDriver browser, String folder, String name) {
        try {
            Path file = SCREENSHOTS.resolve(folder).resolve(name + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An XPath string literal for any text (customer text may hold quotes). */
    private static String literal(String text) {
        if (!text.contains("'")) {
            return "'" + text + "'";
        }
        return "concat('" + text.replace("'", "', \"'\", '") + "')";
    }
}
